extension HiddenState {
    /// `token_similarity`: the mean over ordered pairs `i ≠ j` of `cos(h[i], h[j])`; nil when `T < 2`.
    ///
    /// The mean of the off-diagonal Gram matrix of the unit rows `u_t` is
    /// computed without forming it: `Σ_{i≠j} u_i·u_j = ‖Σ_t u_t‖² − Σ_t ‖u_t‖²`,
    /// an identity that costs `O(T·D)` instead of the `O(T²·D)` product. A
    /// zero row has no direction: its cosine with every other row counts as 0.
    /// Everything accumulates in float64.
    public func tokenSimilarity() -> Double? {
        guard tokenCount >= 2 else { return nil }
        var sum = [Double](repeating: 0, count: hiddenSize)
        var unitRows = 0.0
        sum.withUnsafeMutableBufferPointer { sum in
            for t in 0..<tokenCount {
                let x = row(t)
                let norm = euclideanNorm(x)
                guard norm > 0 else { continue }
                let scale = 1 / norm
                var squared = 0.0
                for c in 0..<hiddenSize {
                    let u = Double(x[c]) * scale
                    sum[c] += u
                    squared += u * u
                }
                unitRows += squared
            }
        }
        let total = sum.reduce(0) { $0 + $1 * $1 }
        return (total - unitRows) / Double(tokenCount * (tokenCount - 1))
    }
}
