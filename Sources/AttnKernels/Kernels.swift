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
        nonisolated(unsafe) let (x, weight, out) = (x, weight, out)
        forEachRow(rows, width: width) { r in
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
        nonisolated(unsafe) let (x, weight, bias, out) = (x, weight, bias, out)
        forEachRow(rows, width: width) { r in
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
    /// Runs `body` for every row `0 ..< rows` of `width` floats, in chunks of
    /// about ``elementChunk`` elements on ``Parallel``'s workers. For kernels
    /// whose rows are independent: the chunks change no bit.
    static func forEachRow(_ rows: Int, width: Int, _ body: (Int) -> Void) {
        let perChunk = max(1, elementChunk / max(width, 1)), chunks = (rows + perChunk - 1) / perChunk
        Parallel.forEach(chunks) { c in
            for r in (c * perChunk)..<min((c + 1) * perChunk, rows) { body(r) }
        }
    }

    public static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// Softmax, in place, of the entries `visible` of `row[0 ..< width]`; the
    /// other entries of the row are set to 0. Returns the entropy of the
    /// result, `−Σ p ln p` in nats over the visible entries.
    ///
    /// Three passes over the row, eight lanes at a time: the maximum `m`, then
    /// `e = exp(x)` of `x = s − m` (``exp(_:)``) summed in eight float32 lanes
    /// (as PyTorch's vectorised softmax sums) beside `Σ e·x`, then
    /// `p = e · (1 / S)` with `S = Σ e`. The entropy comes from the same pass:
    /// `ln p = x − ln S`, so `−Σ p ln p = ln S − Σ e·x / S`, a sum of two
    /// non-negative terms (no cancellation); NaN when a score is NaN.
    ///
    /// With a learned `sink` logit (GPT-OSS), the softmax runs over the
    /// visible scores and the sink as one more slot, and the slot is dropped:
    /// the row then sums to less than 1, and the entropy counts the slot as
    /// one more outcome.
    @discardableResult
    public static func softmax(
        _ row: UnsafeMutablePointer<Float>, width: Int, visible: Range<Int>, sink: Float? = nil
    ) -> Double {
        let lo = visible.lowerBound, hi = visible.upperBound
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var j = lo
        while j + 8 <= hi {
            let s = load8(row + j)
            lanes.replace(with: s, where: s .> lanes)  // (pointwiseMax is not inlined)
            j += 8
        }
        var maximum = lanes.max()
        while j < hi {
            maximum = max(maximum, row[j])
            j += 1
        }
        if let sink { maximum = max(maximum, sink) }
        let shift = SIMD8<Float>(repeating: maximum)
        var sums = SIMD8<Float>(), weighted = SIMD8<Float>()
        j = lo
        while j + 8 <= hi {
            let x = load8(row + j) - shift
            let e = exp(x)
            store8(e, row + j)
            sums += e
            weighted += e * x
            j += 8
        }
        if j < hi {  // the tail, padded with x = −200 (whose exp is 0, and 0 · −200 = 0)
            var x = SIMD8<Float>(repeating: -200)
            for lane in 0..<(hi - j) { x[lane] = row[j + lane] - maximum }
            let e = exp(x)
            for lane in 0..<(hi - j) { row[j + lane] = e[lane] }
            sums += e
            weighted += e * x
        }
        var total = sums.sum(), weightedTotal = weighted.sum()
        if let sink {
            let x = sink - maximum, e = Foundation.exp(x)
            total += e
            weightedTotal += e * x
        }
        let inverse = 1 / total
        for j in lo..<hi { row[j] *= inverse }
        for j in 0..<lo { row[j] = 0 }
        for j in hi..<width { row[j] = 0 }
        return Foundation.log(Double(total)) - Double(weightedTotal) / Double(total)
    }

    /// `eˣ` in eight lanes, the Cephes `expf` scheme: `x = n·ln 2 + r` with
    /// `n` rounded to nearest (`|r| ≤ ½ ln 2`, `ln 2` split in two so `r` is
    /// exact), `eʳ` by its degree-7 polynomial, `2ⁿ` built in the exponent
    /// bits. Within 2 ulp of `expf` for `−87.3 ≤ x ≤ 88` (tested); below
    /// −87.3 (where the result would be subnormal) and for −∞ it gives 0.
    @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let low: Float = -87.336_54, high: Float = 88.722_83
        var clamped = x.replacing(with: low, where: x .< low)
        clamped.replace(with: high, where: clamped .> high)
        // Adding 1.5·2²³ rounds to an integer held in the low mantissa bits.
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let er = p * (r * r) + r + 1
        let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let result = er * unsafeBitCast(exponent, to: SIMD8<Float>.self)
        return result.replacing(with: 0, where: x .< low)
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// SwiGLU's gate: `gate[i] = silu(gate[i]) · up[i]`, `silu(g) = g / (1 + e^−g)`.
    ///
    /// Eight lanes at a time with ``exp(_:)`` (within 2 ulp of `expf`), in
    /// chunks of ``elementChunk`` elements on ``Parallel``'s workers: every
    /// element is computed alone, so neither the chunks nor the thread count
    /// change a bit.
    public static func siluGate(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        nonisolated(unsafe) let (g, u) = (gate, up)
        let chunks = (count + elementChunk - 1) / elementChunk
        Parallel.forEach(chunks) { c in
            let start = c * elementChunk, end = min(start + elementChunk, count)
            var i = start
            while i + 8 <= end {
                let x = load8(g + i)
                store8(x / (1 + exp(-x)) * load8(u + i), g + i)
                i += 8
            }
            while i < end {
                let x = g[i]
                g[i] = x / (1 + expf(-x)) * u[i]
                i += 1
            }
        }
    }

    /// Elements per task of the element-wise kernels that run on ``Parallel``'s workers.
    public static let elementChunk = 1 << 14

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
    /// With `rotated` < `headDim` (GPT-NeoX's partial rotary), only each
    /// head's first `rotated` values turn, split at `rotated/2`; the rest pass.
    /// `cos`/`sin` are `[positions, rotated/2]` tables from ``ropeTables``.
    public static func rope(
        _ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int, headDim: Int, rotated: Int? = nil,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = (rotated ?? headDim) / 2
        assert(2 * half <= headDim, "RoPE rotates \(2 * half) of \(headDim) values")
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
