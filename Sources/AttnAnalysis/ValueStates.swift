/// Per-token norms of one block's value states, `[G, T, d]` row-major.
///
/// kv-head `g`, token `t`, component `c` at `(g·T + t)·d + c`.
public enum ValueStates {
    /// `value_norm[t] = mean over g of ‖v[g][t]‖₂`, for `t = 0 … T-1` (float64 accumulation).
    public static func norms(
        values: UnsafeBufferPointer<Float>, kvHeads: Int, tokenCount: Int, headDim: Int
    ) throws -> [Double] {
        for (name, value) in [("kvHeads", kvHeads), ("tokenCount", tokenCount), ("headDim", headDim)] where value <= 0 {
            throw AnalysisError.invalidDimension(what: "value states", name: name, value: value)
        }
        let (gt, overflow1) = kvHeads.multipliedReportingOverflow(by: tokenCount)
        let (expected, overflow2) = gt.multipliedReportingOverflow(by: headDim)
        guard !overflow1, !overflow2, values.count == expected else {
            throw AnalysisError.bufferSize(what: "value states [G, T, d]", expected: expected, actual: values.count)
        }
        var norms = [Double](repeating: 0, count: tokenCount)
        for g in 0..<kvHeads {
            for t in 0..<tokenCount {
                let start = (g * tokenCount + t) * headDim
                norms[t] += euclideanNorm(UnsafeBufferPointer(rebasing: values[start..<start + headDim]))
            }
        }
        return norms.map { $0 / Double(kvHeads) }
    }
}

/// `x[0] / mean over t ≥ 1 of x[t]`: the value drain ratio and the first-token hidden ratio.
///
/// Nil when there is no `t ≥ 1` or that mean is 0.
public func firstTokenRatio(_ x: [Double]) -> Double? {
    guard x.count > 1 else { return nil }
    let rest = x.dropFirst().reduce(0, +) / Double(x.count - 1)
    return rest > 0 ? x[0] / rest : nil
}

/// `‖x‖₂` with float64 accumulation.
@inlinable
func euclideanNorm(_ x: UnsafeBufferPointer<Float>) -> Double {
    var sum = 0.0
    for value in x { sum += Double(value) * Double(value) }
    return sum.squareRoot()
}
