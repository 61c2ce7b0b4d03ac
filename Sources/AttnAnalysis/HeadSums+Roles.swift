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
        let visible = firstKey ..< firstKey + row.count
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

    /// Adds query `query`'s value-weighted terms: `Σ_j A_ij ν_j` and, when it
    /// sees key 0, `A_i0 ν_0`, with `keyNorms[j] = ν_j` for every key `j` of the
    /// sample; and `‖o_i W_O^h‖` when the producer measured it.
    mutating func addValueWeights(row: UnsafeBufferPointer<Float>, firstKey: Int, keyNorms: UnsafeBufferPointer<Float>, outputNorm: Float?) {
        var weighted = 0.0
        for c in row.indices { weighted += Double(row[c]) * Double(keyNorms[firstKey + c]) }
        valueWeighted.all += weighted
        if firstKey == 0, !row.isEmpty { valueWeighted.first += Double(row[0]) * Double(keyNorms[0]) }
        valueWeighted.rows += 1
        if let outputNorm {
            valueWeighted.outputNorm += Double(outputNorm)
            valueWeighted.outputRows += 1
        }
    }
}

/// The running sums behind a head's value-weighted first-token share and head output norm.
struct ValueWeightedSums {
    /// `Σ_i A_i0 ν_0`.
    var first = 0.0
    /// `Σ_i Σ_j A_ij ν_j`.
    var all = 0.0
    /// Rows added with key norms.
    var rows = 0
    /// `Σ_i ‖o_i W_O^h‖`.
    var outputNorm = 0.0
    /// Rows added with an output norm.
    var outputRows = 0
}
