import Foundation

/// Entropy, key importance, sink mass, role scores and value-weighted figures of one head, gathered in a single pass over its `[T, T]` map.
public struct HeadStatistics: Equatable, Sendable {
    /// `head_entropy`: the mean over all queries of the row entropy `H_i` (nats).
    public let entropy: Double
    /// `normalized_head_entropy`: the mean over queries with `n_i > 1` of `H_i / ln n_i`; nil when no query sees two keys (`T = 1`).
    public let normalizedEntropy: Double?
    /// Key importance `α[k]` for every key `k = 0 … T-1`: the mean attention key `k` receives from the queries that see it.
    public let keyImportance: [Double]
    /// `sink_mass`: the mean over queries of `1 − Σ_j A_ij`.
    public let sinkMass: Double
    /// `previous_token_score`; nil when no query sees its previous token.
    public let previousTokenScore: Double?
    /// `duplicate_token_score`; nil when no query sees an earlier copy of its token (or no token ids were given).
    public let duplicateTokenScore: Double?
    /// `induction_score`; nil when no query sees a key that follows an earlier copy of its token (or no token ids were given).
    public let inductionScore: Double?
    /// `value_weighted_first_token_share`; nil without value norms or when the head's norm-weighted attention is 0.
    public let valueWeightedFirstTokenShare: Double?
    /// `head_output_norm`; nil without the head's output norms.
    public let headOutputNorm: Double?
}

extension AttentionMap {
    /// Head entropy, normalized head entropy and key importance of head `h`, in one pass over its rows.
    ///
    /// Column sums and entropies accumulate in float64. Causally only keys
    /// `0 … i` of row `i` are read (`i − w + 1 … i` with a window). Throws
    /// when `head` is out of range.
    public func statistics(head: Int) throws -> HeadStatistics {
        try check(head: head)
        let accumulator = try HeadStatisticsAccumulator(heads: heads, mask: mask)
        accumulator.update(head: head) { add(head: head, to: &$0, through: accumulator) }
        return try accumulator.statistics()[head]
    }

    /// Adds every row of head `head` (in range) to `sums`, as `accumulator` adds a row.
    func add(head: Int, to sums: inout HeadSums, through accumulator: HeadStatisticsAccumulator) {
        let t = tokenCount
        for query in 0..<t {
            let first = firstKey(query: query), start = (head * t + query) * t + first
            let row = UnsafeBufferPointer(rebasing: probabilities[start..<start + keyCount(query: query)])
            accumulator.add(query: query, row: row, firstKey: first, entropy: nil, to: &sums)
        }
    }

    /// Adds every head's rows to `accumulator`, the heads spread over the available cores.
    public func add(to accumulator: HeadStatisticsAccumulator) {
        // Each iteration reads the shared buffer (alive for the whole call) and updates its own head's sums only.
        nonisolated(unsafe) let probabilities = probabilities
        let (heads, tokenCount, causal, window) = (heads, tokenCount, causal, window)
        DispatchQueue.concurrentPerform(iterations: heads) { head in
            let map = AttentionMap(
                checkedHeads: heads, tokenCount: tokenCount, causal: causal, window: window,
                probabilities: probabilities)
            accumulator.update(head: head) { map.add(head: head, to: &$0, through: accumulator) }
        }
    }
}
