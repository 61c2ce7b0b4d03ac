import AttnCheckpoint
import AttnKernels

/// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)` for a
/// PyTorch `Linear` weight `[outputs, inputs]` left in the checkpoint file.
///
/// F32 weights stored aligned are multiplied in place. Any other weight is
/// decoded `tileRows` output rows at a time (default ``linearTileRows(inputs:)``)
/// into one scratch buffer reused by every tile, and each tile's product is
/// written into its columns of `out`: `out[:, tile] = input · tileᵀ`. Each
/// output element is the same dot product over the same decoded values as
/// with the whole weight decoded, so the result is bit-identical to it.
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
        let tile = min(max(tileRows ?? linearTileRows(inputs: inputs), 1), max(outputs, 1))
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

/// Output rows decoded per tile by ``linear(_:_:_:rows:inputs:outputs:into:tileRows:)``:
/// as many as fit in 512 KiB of floats (half this machine's L2), a multiple of 16, at least 16.
func linearTileRows(inputs: Int) -> Int {
    max(16, (512 << 10) / (4 * max(inputs, 1)) / 16 * 16)
}
