import AttnCheckpoint
import AttnKernels

/// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)` for a
/// PyTorch `Linear` weight `[outputs, inputs]` left in the checkpoint file.
///
/// F32 weights stored aligned are multiplied in place. Any other weight is
/// decoded `tileRows` output rows at a time (default ``linearTileRows(inputs:rows:)``)
/// into one scratch buffer reused by every tile, and each tile's product is
/// written into its columns of `out`: `out[:, tile] = input · tileᵀ`. The
/// decoded values are bit-identical to a whole decode; the products equal
/// the whole product up to the last bits, as OpenBLAS's sgemm accumulates
/// differently depending on how the output columns are split (with a single
/// tile, the case from a few hundred input rows up, they are identical).
func linear(
    _ input: FloatBuffer, _ weight: WeightMatrix, _ bias: FloatBuffer?,
    rows: Int, inputs: Int, outputs: Int, into out: FloatBuffer, tileRows: Int? = nil
) {
    precondition(weight.rows == outputs && weight.columns == inputs, "linear: weight '\(weight.name)' is [\(weight.rows), \(weight.columns)], expected [\(outputs), \(inputs)]")
    assert(input.count >= rows * inputs && out.count >= rows * outputs && (bias?.count ?? outputs) == outputs,
           "linear [\(rows), \(inputs)] → [\(rows), \(outputs)]: buffers too small")
    if let stored = weight.floatsInPlace {
        withExtendedLifetime(weight) {
            BLAS.gemm(m: rows, n: outputs, k: inputs, input.pointer, stored, transposeB: true, out.pointer)
        }
    } else {
        let tile = min(max(tileRows ?? linearTileRows(inputs: inputs, rows: rows), 1), max(outputs, 1))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: tile * inputs)
        defer { scratch.deallocate() }
        for first in stride(from: 0, to: outputs, by: tile) {
            let count = min(tile, outputs - first)
            weight.decode(rows: first..<(first + count), into: scratch)
            BLAS.gemm(m: rows, n: count, k: inputs, input.pointer, scratch, transposeB: true, out.pointer + first, ldc: outputs)
        }
    }
    if let bias { Kernels.addBias(out.pointer, bias: bias.pointer, rows: rows, width: outputs) }
}

/// Output rows decoded per tile by ``linear(_:_:_:rows:inputs:outputs:into:tileRows:)``
/// for `rows` input rows of `inputs` values: as many as fit in 512 KiB of
/// floats (half of a 1 MiB L2), so that a short prompt's product reads its
/// freshly decoded tile from cache, but never fewer than `rows`, so that a
/// long prompt's product is not split into narrow ones that each repack the
/// whole input (at 2,048 rows, tiles of 80 outputs ran at 48 GFLOP/s, one
/// product at 75). The scratch is then at most the input's size; a multiple of 16.
func linearTileRows(inputs: Int, rows: Int) -> Int {
    max(16, (512 << 10) / (4 * max(inputs, 1)) / 16 * 16, (rows + 15) / 16 * 16)
}
