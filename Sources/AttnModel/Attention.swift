import AttnKernels

/// Eager scaled dot-product attention over token-major projections, as HF's
/// `eager_attention_forward` computes it, keeping the probabilities.
enum Attention {
    /// The sizes of one attention call.
    struct Shape {
        var tokens: Int
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var causal: Bool
        /// With `causal`, query `i` sees only keys `j` with `i − j < window`
        /// (HF's sliding-window mask); nil for every earlier key.
        var window: Int? = nil
        /// Multiplies `q·k` before the softmax (usually `1/√d`).
        var scale: Float
    }

    /// Computes `probabilities[H, T, T]` and `output[T, H·d]`. Masked
    /// entries are exactly 0 and each row's softmax covers its visible keys.
    ///
    /// `q` holds query head `h` of token `t` at `q + t·qStride + h·d`; `k`
    /// and `v` hold kv-head `g` at `t·kStride + g·d` / `t·vStride + g·d`.
    /// Query head `h` reads kv-head `h / (H/G)`.
    static func run(
        _ shape: Shape,
        q: UnsafePointer<Float>, qStride: Int,
        k: UnsafePointer<Float>, kStride: Int,
        v: UnsafePointer<Float>, vStride: Int,
        probabilities: UnsafeMutablePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let t = shape.tokens, d = shape.headDim
        let group = shape.heads / shape.kvHeads
        for h in 0..<shape.heads {
            let g = h / group
            let p = probabilities + h * t * t
            BLAS.gemm(m: t, n: t, k: d, q + h * d, lda: qStride, k + g * d, ldb: kStride, transposeB: true, p, alpha: shape.scale)
            Kernels.softmaxRows(p, rows: t, width: t, stride: t, scale: 1, causal: shape.causal, window: shape.window)
            BLAS.gemm(m: t, n: d, k: t, p, v + g * d, ldb: vStride, output + h * d, ldc: shape.heads * d)
        }
    }
}
