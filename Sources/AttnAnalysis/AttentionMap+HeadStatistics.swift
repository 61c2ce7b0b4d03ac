import Foundation

/// Entropy and key importance of one head, gathered in a single pass over its `[T, T]` map.
public struct HeadStatistics: Equatable, Sendable {
    /// `head_entropy`: the mean over all queries of the row entropy `H_i` (nats).
    public let entropy: Double
    /// `normalized_head_entropy`: the mean over queries with `n_i > 1` of `H_i / ln n_i`; nil when no query sees two keys (`T = 1`).
    public let normalizedEntropy: Double?
    /// Key importance `α[k]` for every key `k = 0 … T-1`: the mean attention key `k` receives from the queries that see it.
    public let keyImportance: [Double]
}

extension AttentionMap {
    /// Head entropy, normalized head entropy and key importance of head `h`, in one pass over its rows.
    ///
    /// Column sums and entropies accumulate in float64. Causally only keys
    /// `0 … i` of row `i` are read (`i − w + 1 … i` with a window). Throws
    /// when `head` is out of range.
    public func statistics(head: Int) throws -> HeadStatistics {
        try check(head: head)
        var sums = HeadSums(tokenCount: tokenCount)
        add(head: head, to: &sums)
        return sums.statistics(mask)
    }

    /// Adds every row of head `head` (in range) to `sums`.
    func add(head: Int, to sums: inout HeadSums) {
        let t = tokenCount
        for query in 0..<t {
            let first = firstKey(query: query), start = (head * t + query) * t + first
            sums.add(query: query, row: UnsafeBufferPointer(rebasing: probabilities[start ..< start + keyCount(query: query)]), firstKey: first)
        }
    }

    /// Adds every head's rows to `accumulator`, the heads spread over the available cores.
    public func add(to accumulator: HeadStatisticsAccumulator) {
        // Each iteration reads the shared map and updates its own head's sums only.
        nonisolated(unsafe) let map = self
        DispatchQueue.concurrentPerform(iterations: heads) { head in
            accumulator.update(head: head) { map.add(head: head, to: &$0) }
        }
    }
}
