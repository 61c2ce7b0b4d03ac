import Foundation

/// The running sums behind one head's ``HeadStatistics``, fed one query row at a time.
///
/// Rows may come in any order, each exactly once; the sums are float64 and
/// each row is read in one pass (``EntropyKernel``). A row holding a NaN or an
/// infinity makes the entropy non-finite and is remembered by position.
struct HeadSums {
    /// `Σ_i A_ij` for every key `j`, `[T]`.
    var columns: [Double]
    var entropy = 0.0
    var normalized = 0.0
    var normalizedCount = 0
    var previous = RoleScore(), duplicate = RoleScore(), induction = RoleScore()
    var valueWeighted = ValueWeightedSums()
    /// The first query whose row holds a NaN or infinity, and that entry's key.
    var firstNonFinite: (query: Int, key: Int)?
    /// Rows lack a dropped sink slot `s_i = 1 − Σ_j A_ij` (GPT-OSS): it counts in the entropy and its normalization.
    let learnedSinks: Bool

    init(tokenCount: Int, learnedSinks: Bool = false) {
        columns = [Double](repeating: 0, count: tokenCount)
        self.learnedSinks = learnedSinks
    }

    /// Adds query `query`'s visible probabilities: `row[c]` is key `firstKey + c`,
    /// for the `keyCount(query:)` keys the mask lets it see. `entropy` is the
    /// row's entropy when its producer computed it already (one pass of
    /// column sums then remains); nil to compute it here (``EntropyKernel``).
    mutating func add(query: Int, row: UnsafeBufferPointer<Float>, firstKey: Int, entropy given: Double? = nil) {
        let h = columns.withUnsafeMutableBufferPointer { columns in
            let sums = columns.baseAddress! + firstKey
            for k in row.indices { sums[k] += Double(row[k]) }
            if let given { return given }
            guard learnedSinks else { return EntropyKernel.entropy(row) }
            let sink = 1 - row.reduce(0.0) { $0 + Double($1) }
            return EntropyKernel.entropy(row) - (sink > 0 ? sink * log(sink) : 0)
        }
        if !h.isFinite, firstNonFinite == nil || query < firstNonFinite!.query {
            firstNonFinite = (query, firstKey + (row.firstIndex { !$0.isFinite } ?? 0))
        }
        entropy += h
        let outcomes = row.count + (learnedSinks ? 1 : 0)
        if outcomes > 1 {
            normalized += h / log(Double(outcomes))
            normalizedCount += 1
        }
    }

    /// The statistics once every row of `mask` has been added.
    func statistics(_ mask: AttentionMask) -> HeadStatistics {
        HeadStatistics(
            entropy: entropy / Double(mask.tokenCount),
            normalizedEntropy: normalizedCount > 0 ? normalized / Double(normalizedCount) : nil,
            keyImportance: columns.indices.map { columns[$0] / Double(mask.queryCount(key: $0)) },
            sinkMass: 1 - columns.reduce(0, +) / Double(mask.tokenCount),
            previousTokenScore: previous.mean, duplicateTokenScore: duplicate.mean, inductionScore: induction.mean,
            valueWeightedFirstTokenShare: valueWeighted.rows == mask.tokenCount
                ? valueWeighted.firstTokenShare(columns: columns) : nil,
            headOutputNorm: valueWeighted.rows == mask.tokenCount
                ? valueWeighted.outputNorm / Double(mask.tokenCount) : nil
        )
    }
}
