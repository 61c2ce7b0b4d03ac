import AttnCheckpoint
import AttnKernels

/// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)` for a
/// PyTorch `Linear` weight `[outputs, inputs]` left in the checkpoint file.
///
/// F32 weights stored aligned are multiplied in place, one product per row
/// slice of the batch (``Batch/slices``) on ``Parallel``'s workers. Any
/// other weight is decoded in tiles of `tileRows` output rows (default
/// ``linearTileRows(inputs:)``), and `out` is computed as a grid of
/// products, one per tile and row slice: `out[slice, tile] = input[slice] · tileᵀ`.
/// Tiles are decoded on ``Parallel``'s workers, a panel of at most
/// ``linearPanelFloats`` decoded values at a time, and the grid's products
/// then run on the workers too; a batch of one slice multiplies each tile
/// right after decoding it, while it is in the decoding core's cache.
///
/// The grid is fixed by the shapes and the batch's prompts alone, so the
/// result does not depend on the thread count, nor on which prompts share
/// the batch. The decoded values are bit-identical to a whole decode;
/// the products equal the whole product up to the last bits, as OpenBLAS's
/// sgemm accumulates differently depending on how the output columns are
/// split (with a single tile they are identical).
func linear(
    _ input: FloatBuffer, _ weight: WeightMatrix, _ bias: FloatBuffer?,
    batch: Batch, inputs: Int, outputs: Int, into out: FloatBuffer, tileRows: Int? = nil
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
        let tiles = (outputs + tile - 1) / tile
        let panel = max(1, min(tiles, linearPanelFloats / (tile * inputs)))
        let decoded = UnsafeMutablePointer<Float>.allocate(capacity: panel * tile * inputs)
        defer { decoded.deallocate() }
        for firstTile in stride(from: 0, to: tiles, by: panel) {
            let panelTiles = min(panel, tiles - firstTile)
            // out[slice s, tile c] = input[slice s] · decoded tile cᵀ
            let product = { (c: Int, s: Int) in
                let first = (firstTile + c) * tile, count = min(tile, outputs - first), row = slices[s].lowerBound
                BLAS.gemm(
                    m: slices[s].count, n: count, k: inputs, x + row * inputs, decoded + c * tile * inputs,
                    transposeB: true,
                    y + row * outputs + first, ldc: outputs)
            }
            Parallel.forEach(panelTiles) { c in
                let first = (firstTile + c) * tile
                weight.decode(rows: first..<min(first + tile, outputs), into: decoded + c * tile * inputs)
                if slices.count == 1 { product(c, 0) }
            }
            if slices.count > 1 {
                Parallel.forEach(panelTiles * slices.count) { product($0 / slices.count, $0 % slices.count) }
            }
        }
    }
    if let bias { Kernels.addBias(out.pointer, bias: bias.pointer, rows: rows, width: outputs) }
}

/// The most decoded weight values ``linear(_:_:_:batch:inputs:outputs:into:tileRows:)``
/// holds at once (16 MiB of floats, a 4,096 × 1,024 panel), whatever the
/// weight's size.
let linearPanelFloats = 1 << 22

/// Output rows decoded per tile by ``linear(_:_:_:batch:inputs:outputs:into:tileRows:)``
/// for weights of `inputs` values per row: as many as fit in 512 KiB of
/// floats (half of a 1 MiB L2), so that a product reads its tile from cache;
/// a multiple of 16.
func linearTileRows(inputs: Int) -> Int {
    max(16, (512 << 10) / (4 * max(inputs, 1)) / 16 * 16)
}
