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
        return statistics(validHead: head)
    }

    /// ``statistics(head:)`` for a head known to be in range.
    func statistics(validHead head: Int) -> HeadStatistics {
        let t = tokenCount
        var columnSums = [Double](repeating: 0, count: t)
        var entropySum = 0.0
        var normalizedSum = 0.0
        var normalizedCount = 0
        columnSums.withUnsafeMutableBufferPointer { columns in
            for query in 0..<t {
                let n = keyCount(query: query), first = firstKey(query: query)
                let start = (head * t + query) * t + first
                let row = UnsafeBufferPointer(rebasing: probabilities[start ..< start + n])
                for key in 0..<n { columns[first + key] += Double(row[key]) }
                let h = EntropyKernel.entropy(row)
                entropySum += h
                if n > 1 {
                    normalizedSum += h / log(Double(n))
                    normalizedCount += 1
                }
            }
            for key in 0..<t { columns[key] /= Double(queryCount(key: key)) }
        }
        return HeadStatistics(
            entropy: entropySum / Double(t),
            normalizedEntropy: normalizedCount > 0 ? normalizedSum / Double(normalizedCount) : nil,
            keyImportance: columnSums
        )
    }

    /// ``statistics(head:)`` of every head, the heads spread over the available cores.
    public func statisticsOfAllHeads() -> [HeadStatistics] {
        // Each iteration reads the shared map and initializes its own slot only.
        nonisolated(unsafe) let map = self
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<HeadStatistics>.allocate(capacity: heads)
        DispatchQueue.concurrentPerform(iterations: heads) { head in
            (results.baseAddress! + head).initialize(to: map.statistics(validHead: head))
        }
        defer {
            results.deinitialize()
            results.deallocate()
        }
        return Array(results)
    }
}
