import AttnCheckpoint
import AttnKernels
import Synchronization

/// Per query head `h` of one block, the factor `F_h` (`[d, d]`) that
/// measures what the output projection makes of a head's vector:
/// `‖F_h u‖₂ = ‖u W_O^h‖₂`, `W_O^h` the `d` rows of the output projection
/// that head `h`'s outputs multiply, bias left out
/// (see ``BLAS/normFactor(_:rows:k:rowStride:columnStride:into:)``).
///
/// Computed from the decoded weight the first time an observer asks for
/// value-weighted attention, then kept (`H·d²` floats); any thread may ask.
final class HeadNormFactors: Sendable {
    /// Where the output projection's values are.
    enum Projection: Sendable {
        /// A PyTorch `Linear` weight `[D, H·d]` (head `h` = columns `h·d ..< (h+1)·d`).
        case linear(WeightMatrix)
        /// A GPT-2 `Conv1D` weight `[H·d, D]` (head `h` = rows `h·d ..< (h+1)·d`), already decoded.
        case conv1D(FloatBuffer, outputs: Int)
    }

    let heads: Int
    let headDim: Int
    private let projection: Projection
    private let factors = Mutex<FloatBuffer?>(nil)

    /// The factors of `projection`, whose inputs are `heads` heads of `headDim` values.
    init(_ projection: Projection, heads: Int, headDim: Int) {
        switch projection {
        case .linear(let weight):
            precondition(
                weight.columns == heads * headDim,
                "\(weight.name) has \(weight.columns) columns for \(heads) heads of \(headDim)")
        case .conv1D(let weight, let outputs):
            precondition(
                weight.count == heads * headDim * outputs,
                "Conv1D weight of \(weight.count) floats for [\(heads * headDim), \(outputs)]")
        }
        self.projection = projection
        self.heads = heads
        self.headDim = headDim
    }

    /// The factors, head `h`'s at `h·d²` (`[H, d, d]` row-major).
    var buffer: FloatBuffer {
        factors.withLock { stored in
            if let stored { return stored }
            let made = factor()
            stored = made
            return made
        }
    }

    private func factor() -> FloatBuffer {
        let d = headDim, inputs = heads * headDim
        let result = FloatBuffer(count: heads * d * d)
        let values: FloatBuffer, outputs: Int
        switch projection {
        case .linear(let weight):
            values = FloatBuffer(count: weight.rows * weight.columns)
            weight.decode(rows: 0..<weight.rows, into: values.pointer)
            outputs = weight.rows
        case .conv1D(let weight, let count):
            (values, outputs) = (weight, count)
        }
        // As a [D, d] matrix, head h's slice: (r, c) at h·d + r·(H·d) + c of a Linear weight, at (h·d + c)·D + r of a Conv1D one.
        let linear = if case .linear = projection { true } else { false }
        nonisolated(unsafe) let (w, f) = (UnsafePointer(values.pointer), result.pointer)
        withExtendedLifetime(values) {
            Parallel.forEach(heads) { h in
                BLAS.normFactor(
                    w + h * d * (linear ? 1 : outputs), rows: outputs, k: d,
                    rowStride: linear ? inputs : 1, columnStride: linear ? 1 : outputs, into: f + h * d * d)
            }
        }
        return result
    }
}
