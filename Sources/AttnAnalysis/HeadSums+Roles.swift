/// One head-role score being averaged: the sum over the queries that qualify, and their count.
struct RoleScore {
    var sum = 0.0
    var queries = 0

    /// The mean over qualifying queries; nil when none qualified (metrics.md, "Head roles").
    var mean: Double? { queries > 0 ? sum / Double(queries) : nil }

    mutating func add(_ value: Double) {
        sum += value
        queries += 1
    }
}

extension HeadSums {
    /// Adds query `query`'s previous-token, duplicate-token and induction
    /// terms: `row[c]` is the probability of key `firstKey + c`, for the
    /// `row.count` keys the query sees.
    ///
    /// Previous token: `A_{i,i−1}` when `i − 1` is visible. Duplicate: the
    /// attention on the visible earlier copies `j < i` of `x_i`. Induction:
    /// on the visible keys `j`, `1 ≤ j < i`, that follow an earlier copy
    /// (`x_{j−1} = x_i`). A query with no such key adds nothing to that score.
    mutating func addRoles(query i: Int, row: UnsafeBufferPointer<Float>, firstKey: Int, repeats: TokenRepeats) {
        let visible = firstKey..<firstKey + row.count
        if i >= 1, visible.contains(i - 1) { previous.add(Double(row[i - 1 - firstKey])) }
        var duplicateSum = 0.0, duplicates = 0, inductionSum = 0.0, inductions = 0
        for p in repeats.earlierCopies(of: i) {
            if visible.contains(p) {
                duplicateSum += Double(row[p - firstKey])
                duplicates += 1
            }
            let j = p + 1
            if j < i, visible.contains(j) {
                inductionSum += Double(row[j - firstKey])
                inductions += 1
            }
        }
        if duplicates > 0 { duplicate.add(duplicateSum) }
        if inductions > 0 { induction.add(inductionSum) }
    }

    /// Adds position `i`'s key norm `ν_i = ‖v_i W_O^h‖` and its row's output norm `‖o_i W_O^h‖`.
    mutating func addValueWeights(position i: Int, keyNorm: Float, outputNorm: Float) {
        if valueWeighted.keyNorms.isEmpty { valueWeighted.keyNorms = [Double](repeating: 0, count: columns.count) }
        valueWeighted.keyNorms[i] = Double(keyNorm)
        valueWeighted.outputNorm += Double(outputNorm)
        valueWeighted.rows += 1
    }
}

/// What a head's value-weighted first-token share and output norm are computed from.
///
/// The share's sums need no pass of their own: `Σ_i Σ_j A_ij ν_j = Σ_j ν_j c_j`
/// with `c_j = Σ_i A_ij` the column sums the key importance already gathers.
struct ValueWeightedSums {
    /// `ν_j` for every key, `[T]`; empty until a row brings its own.
    var keyNorms: [Double] = []
    /// `Σ_i ‖o_i W_O^h‖`.
    var outputNorm = 0.0
    /// Rows added with norms.
    var rows = 0

    /// `ν_0 c_0 / Σ_j ν_j c_j`; nil when the denominator is 0.
    func firstTokenShare(columns: [Double]) -> Double? {
        let all = zip(keyNorms, columns).reduce(0) { $0 + $1.0 * $1.1 }
        return all > 0 ? keyNorms[0] * columns[0] / all : nil
    }
}
