import Foundation

/// YaRN's RoPE as HF computes it (`_compute_yarn_parameters`, transformers
/// 5.24): inverse frequencies blended between interpolated (divided by
/// `factor`) and extrapolated ones along a linear ramp over the dimensions
/// whose rotation counts lie between `beta_slow` and `beta_fast` in the
/// original context, and cosines and sines scaled by the attention factor.
struct YarnRope: Sendable, Equatable {
    var theta: Double
    var factor: Double
    var originalMaxPositions: Int
    var betaFast: Double = 32
    var betaSlow: Double = 1
    var truncate = true
    /// `attention_factor`; nil to infer it from `factor` (and `mscale`, `mscale_all_dim`).
    var attentionFactor: Double? = nil
    var mscale: Double? = nil
    var mscaleAllDim: Double? = nil

    /// The factor cosines and sines are multiplied by.
    var attentionScaling: Float {
        if let attentionFactor { return Float(attentionFactor) }
        func mscaled(_ scale: Double, _ m: Double = 1) -> Double {
            scale <= 1 ? 1 : 0.1 * m * Foundation.log(scale) + 1
        }
        if let mscale, let mscaleAllDim, mscale != 0, mscaleAllDim != 0 {
            return Float(mscaled(factor, mscale) / mscaled(factor, mscaleAllDim))
        }
        return Float(mscaled(factor))
    }

    /// The inverse frequencies `[dim/2]` for heads of `dim` rotated values, in float32 as torch computes them.
    func inverseFrequencies(dim: Int) -> [Float] {
        func correctionDim(_ rotations: Double) -> Double {
            Double(dim) * Foundation.log(Double(originalMaxPositions) / (rotations * 2 * Double.pi))
                / (2 * Foundation.log(theta))
        }
        var low = correctionDim(betaFast), high = correctionDim(betaSlow)
        if truncate { (low, high) = (low.rounded(.down), high.rounded(.up)) }
        low = max(low, 0)
        high = min(high, Double(dim - 1))
        if low == high { high += 0.001 }
        let span = Float(high - low), factor32 = Float(factor)
        return (0..<(dim / 2)).map { i -> Float in
            let position = Float(pow(theta, Double(Float(2 * i) / Float(dim))))
            let extrapolated = 1 / position, interpolated = 1 / (factor32 * position)
            let ramp = min(max((Float(i) - Float(low)) / span, 0), 1)
            let extrapolation = 1 - ramp
            return interpolated * (1 - extrapolation) + extrapolated * extrapolation
        }
    }
}
