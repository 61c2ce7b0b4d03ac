import AttnCheckpoint
import AttnKernels

/// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)` for a
/// PyTorch `Linear` weight `[outputs, inputs]` left in the checkpoint file.
///
/// F32 weights stored aligned are multiplied in place, one product per row
/// slice of the batch (``Batch/slices``) on ``Parallel``'s workers. Any
/// other weight is decoded in tiles of `tileRows` output rows (default
/// ``linearTileRows(inputs:)``) on the workers, a panel of at most
/// ``linearPanelFloats`` decoded values at a time, and `out` is computed as
/// a grid of products, one per row slice and run of `runTiles` whole tiles
/// (default ``linearRunTiles(tileRows:inputs:)``, about ``linearProductRows``
/// outputs): `out[slice, run] = input[slice] · runᵀ`, on the workers too. (A product per tile packed each input slice again
/// for every tile: at 2,048 tokens on SmolLM2 that was 6 % of the CPU time.)
///
/// The grid is fixed by the shapes and the batch's prompts alone, so the
/// result does not depend on the thread count, nor on which prompts share
/// the batch. The decoded values are bit-identical to a whole decode;
/// the products equal the whole product up to the last bits, as OpenBLAS's
/// sgemm accumulates differently depending on how the output columns are
/// split (with a single run they are identical).
func linear(
    _ input: FloatBuffer, _ weight: WeightMatrix, _ bias: FloatBuffer?,
    batch: Batch, inputs: Int, outputs: Int, into out: FloatBuffer, tileRows: Int? = nil,
    runTiles: Int? = nil
) {
    let rows = batch.rows, slices = batch.slices
    nonisolated(unsafe) let (x, y) = (input.pointer, out.pointer)
    precondition(
        weight.rows == outputs && weight.columns == inputs,
        "linear: weight '\(weight.name)' is [\(weight.rows), \(weight.columns)], expected [\(outputs), \(inputs)]")
    assert(
        input.count >= rows * inputs && out.count >= rows * outputs && (bias?.count ?? outputs) == outputs,
        "linear [\(rows), \(inputs)] → [\(rows), \(outputs)]: buffers too small")
    if let stored = weight.floatsInPlace {
        nonisolated(unsafe) let w = stored
        withExtendedLifetime(weight) {
            Parallel.forEach(slices.count) { s in
                let row = slices[s].lowerBound
                BLAS.gemm(
                    m: slices[s].count, n: outputs, k: inputs, x + row * inputs, w, transposeB: true, y + row * outputs)
            }
        }
    } else {
        let tile = min(max(tileRows ?? linearTileRows(inputs: inputs), 1), max(outputs, 1))
        let tiles = (outputs + tile - 1) / tile,
            run = max(1, runTiles ?? linearRunTiles(tileRows: tile, inputs: inputs))
        // Tiles per panel: whole runs, within the panel's floats (at least one run).
        let panel = min(tiles, max(run, linearPanelFloats / (tile * inputs) / run * run))
        let decoded = UnsafeMutablePointer<Float>.allocate(capacity: panel * tile * inputs)
        defer { decoded.deallocate() }
        for firstTile in stride(from: 0, to: tiles, by: panel) {
            let panelTiles = min(panel, tiles - firstTile), runs = (panelTiles + run - 1) / run
            Parallel.forEach(panelTiles) { c in
                let first = (firstTile + c) * tile
                weight.decode(rows: first..<min(first + tile, outputs), into: decoded + c * tile * inputs)
            }
            // out[slice s, run r] = input[slice s] · (decoded tiles r·run ..< (r+1)·run)ᵀ
            Parallel.forEach(runs * slices.count) { task in
                let (r, s) = task.quotientAndRemainder(dividingBy: slices.count)
                let first = (firstTile + r * run) * tile, count = min(run * tile, outputs - first)
                let row = slices[s].lowerBound
                BLAS.gemm(
                    m: slices[s].count, n: count, k: inputs, x + row * inputs, decoded + r * run * tile * inputs,
                    transposeB: true, y + row * outputs + first, ldc: outputs)
            }
        }
    }
    if let bias { Kernels.addBias(out.pointer, bias: bias.pointer, rows: rows, width: outputs) }
}

/// The most decoded weight values ``linear(_:_:_:batch:inputs:outputs:into:tileRows:runTiles:)``
/// holds at once (16 MiB of floats, a 4,096 × 1,024 panel), whatever the
/// weight's size.
let linearPanelFloats = 1 << 22

/// Output rows per product of ``linear(_:_:_:batch:inputs:outputs:into:tileRows:runTiles:)``:
/// as many whole tiles as fit in 768 (at least one, at most a panel), so
/// that OpenBLAS packs each input slice once per 768 outputs rather than
/// once per tile (wider products gained nothing more on this machine).
let linearProductRows = 768

/// Tiles of `tileRows` rows of `inputs` values per product of
/// ``linear(_:_:_:batch:inputs:outputs:into:tileRows:runTiles:)``: ``linearProductRows``
/// outputs' worth, at least one tile and at most a panel's floats.
func linearRunTiles(tileRows tile: Int, inputs: Int) -> Int {
    max(1, min(linearProductRows / tile, linearPanelFloats / (tile * inputs)))
}

/// Output rows decoded per tile by ``linear(_:_:_:batch:inputs:outputs:into:tileRows:runTiles:)``
/// for weights of `inputs` values per row: as many as fit in 512 KiB of
/// floats (half of a 1 MiB L2), so that a product reads its tile from cache;
/// a multiple of 16.
func linearTileRows(inputs: Int) -> Int {
    max(16, (512 << 10) / (4 * max(inputs, 1)) / 16 * 16)
}
