import Foundation

/// The element-wise and row-wise hot loops of the forward pass, in one place.
///
/// Every function works in place or into a caller-owned buffer over flat
/// row-major float32 storage; none allocates. Reductions over a row
/// accumulate in float64 where PyTorch's vectorised float32 sums are close
/// to exact, which keeps results within a few ulps of the reference.
public enum Kernels {
    /// RMSNorm of each row of `x[rows, width]` into `out`:
    /// `out = x / sqrt(mean(x²) + eps) · weight`. `out` may equal `x`.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
        rows: Int, width: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = x + r * width, dst = out + r * width
            var sum: Double = 0
            for c in 0..<width { sum += Double(row[c] * row[c]) }
            let scale = 1 / (Float(sum / Double(width)) + eps).squareRoot()
            for c in 0..<width { dst[c] = weight[c] * (row[c] * scale) }
        }
    }

    /// LayerNorm of each row of `x[rows, width]` into `out` (biased variance,
    /// as PyTorch): `out = (x − mean) / sqrt(var + eps) · weight + bias`.
    /// `out` may equal `x`.
    public static func layerNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, eps: Float,
        rows: Int, width: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = x + r * width, dst = out + r * width
            var mean: Double = 0
            for c in 0..<width { mean += Double(row[c]) }
            mean /= Double(width)
            var variance: Double = 0
            for c in 0..<width {
                let centred = Double(row[c]) - mean
                variance += centred * centred
            }
            variance /= Double(width)
            let inv = Float(1 / (variance + Double(eps)).squareRoot())
            let m = Float(mean)
            for c in 0..<width { dst[c] = (row[c] - m) * inv * weight[c] + bias[c] }
        }
    }

    /// Adds `bias[width]` to every row of `x[rows, width]`.
    public static func addBias(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width
            for c in 0..<width { row[c] += bias[c] }
        }
    }

    /// `x[i] += y[i]` for `count` elements.
    public static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// Softmax over the first `width` entries of each of `rows` rows spaced
    /// `stride` apart, after multiplying by `scale`; with `causal`, row `i`
    /// covers keys `0…i` only, and with a `window` too only keys
    /// `i − window + 1 … i`. Entries outside the covered keys are set to 0.
    public static func softmaxRows(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int, scale: Float, causal: Bool, window: Int? = nil
    ) {
        for i in 0..<rows {
            let row = x + i * stride
            let n = causal ? min(i + 1, width) : width
            let first = causal ? max(0, n - (window ?? n)) : 0
            var maximum = -Float.infinity
            for j in first..<n {
                row[j] *= scale
                maximum = max(maximum, row[j])
            }
            var sum: Double = 0
            for j in first..<n {
                let e = expf(row[j] - maximum)
                row[j] = e
                sum += Double(e)
            }
            let inv = Float(1 / sum)
            for j in first..<n { row[j] *= inv }
            for j in 0..<first { row[j] = 0 }
            for j in n..<width { row[j] = 0 }
        }
    }

    /// SwiGLU's gate: `gate[i] = silu(gate[i]) · up[i]`.
    public static func siluGate(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// The activations transformer checkpoints name in their configs.
    public enum Activation: Sendable {
        /// Exact GELU, `0.5·x·(1 + erf(x/√2))`.
        case gelu
        /// GELU's tanh approximation (GPT-2's `gelu_new`).
        case geluTanh
        case relu
        case silu

        /// The activation a config's `hidden_act`/`activation_function` names, or nil.
        public init?(configName: String) {
            switch configName {
            case "gelu": self = .gelu
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
            case "relu": self = .relu
            case "silu", "swish": self = .silu
            default: return nil
            }
        }
    }

    /// Applies `activation` to `count` elements in place.
    public static func activate(_ x: UnsafeMutablePointer<Float>, count: Int, _ activation: Activation) {
        switch activation {
        case .gelu:
            for i in 0..<count { x[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.70710678118654752)) }
        case .geluTanh:
            let c: Float = 0.79788456080286536  // sqrt(2/π)
            for i in 0..<count {
                let v = x[i]
                x[i] = 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v)))
            }
        case .relu:
            for i in 0..<count { x[i] = max(x[i], 0) }
        case .silu:
            for i in 0..<count { x[i] = x[i] / (1 + expf(-x[i])) }
        }
    }

    /// Rotary position embedding, HF's half-split form, in place on
    /// `x[tokens, heads·headDim]`: for each head and `i < headDim/2`,
    /// `(a, b) = (x[i], x[i + headDim/2])` becomes
    /// `(a·cos − b·sin, b·cos + a·sin)` at the angle of the token's position.
    /// `cos`/`sin` are `[positions, headDim/2]` tables from ``ropeTables``.
    public static func rope(
        _ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int, headDim: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = headDim / 2
        for t in 0..<tokens {
            let c = cos + t * half, s = sin + t * half
            for h in 0..<heads {
                let v = x + (t * heads + h) * headDim
                for i in 0..<half {
                    let a = v[i], b = v[i + half]
                    v[i] = a * c[i] - b * s[i]
                    v[i + half] = b * c[i] + a * s[i]
                }
            }
        }
    }

    /// RoPE's inverse frequencies `[headDim/2]` as HF computes them in
    /// float32: `inv_freq[i] = 1 / θ^(2i/headDim)`.
    public static func ropeInverseFrequencies(headDim: Int, theta: Double) -> [Float] {
        (0..<(headDim / 2)).map { i -> Float in
            let exponent = Float(2 * i) / Float(headDim)
            return 1 / Float(pow(theta, Double(exponent)))
        }
    }

    /// Cosine and sine tables `[positions, frequencies]` for ``rope``, computed
    /// as HF does in float32: angle = position · `inverseFrequencies[i]`.
    public static func ropeTables(positions: Int, inverseFrequencies: [Float]) -> (cos: [Float], sin: [Float]) {
        let half = inverseFrequencies.count
        var cosTable = [Float](repeating: 0, count: positions * half)
        var sinTable = [Float](repeating: 0, count: positions * half)
        for p in 0..<positions {
            for i in 0..<half {
                let angle = Float(p) * inverseFrequencies[i]
                cosTable[p * half + i] = Float(Foundation.cos(Double(angle)))
                sinTable[p * half + i] = Float(Foundation.sin(Double(angle)))
            }
        }
        return (cosTable, sinTable)
    }

    /// Copies token-major heads into `out[groups, tokens, width]`: group `g`
    /// of token `t` is read at `x + t·rowStride + g·width` (`rowStride`
    /// defaults to the packed `groups·width`).
    public static func splitHeads(
        _ x: UnsafePointer<Float>, tokens: Int, groups: Int, width: Int, rowStride: Int? = nil,
        into out: UnsafeMutablePointer<Float>
    ) {
        let stride = rowStride ?? groups * width
        for g in 0..<groups {
            for t in 0..<tokens {
                (out + (g * tokens + t) * width).update(from: x + t * stride + g * width, count: width)
            }
        }
    }
}
