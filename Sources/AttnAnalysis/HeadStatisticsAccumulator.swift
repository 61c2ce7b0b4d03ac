import Synchronization

/// Every head's ``HeadStatistics`` of one block, gathered while its attention
/// is computed, a block of query rows at a time, so the block's whole
/// `[H, T, T]` map never has to exist.
///
/// ``add(head:firstQuery:queryCount:keys:probabilities:entropies:)`` may be called from
/// several threads at once for different heads (never for the same head at
/// once). A malformed call is remembered and thrown by ``statistics()``.
public final class HeadStatisticsAccumulator: @unchecked Sendable {
    /// Query heads `H`.
    public let heads: Int
    /// The keys each query sees.
    public let mask: AttentionMask
    private let sums: UnsafeMutableBufferPointer<HeadSums>
    private let problem = Mutex<AnalysisError?>(nil)

    /// An accumulator for `heads` heads over `mask`; throws when a size is not positive.
    public init(heads: Int, mask: AttentionMask) throws {
        guard heads > 0 else { throw AnalysisError.invalidDimension(what: "attention map", name: "heads", value: heads) }
        guard mask.tokenCount > 0 else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "tokenCount", value: mask.tokenCount)
        }
        if let window = mask.window, window < 1 {
            throw AnalysisError.invalidDimension(what: "attention map", name: "window", value: window)
        }
        self.heads = heads
        self.mask = mask
        sums = .allocate(capacity: heads)
        sums.initialize(repeating: HeadSums(tokenCount: mask.tokenCount))
    }

    deinit {
        sums.deinitialize()
        sums.deallocate()
    }

    /// Adds queries `firstQuery ..< firstQuery + queryCount` of head `head`:
    /// `probabilities` is `[queryCount, keys.count]` row-major, entry `(r, c)`
    /// the probability that query `firstQuery + r` gives key `keys.lowerBound + c`.
    /// Only the keys the mask lets each query see are read; `keys` must cover
    /// them. `entropies`, when given, holds each row's entropy over those keys
    /// (`[queryCount]`, as the softmax computed it); without it the entropies
    /// are computed from the probabilities.
    public func add(
        head: Int, firstQuery: Int, queryCount: Int, keys: Range<Int>, probabilities: UnsafeBufferPointer<Float>,
        entropies: UnsafeBufferPointer<Double>? = nil
    ) {
        let t = mask.tokenCount
        let width = keys.count
        let (expected, overflow) = queryCount.multipliedReportingOverflow(by: width)
        let covered = (0..<queryCount).allSatisfy { r in
            let first = mask.firstKey(query: firstQuery + r)
            return first >= keys.lowerBound && first + mask.keyCount(query: firstQuery + r) <= keys.upperBound
        }
        guard (0..<heads).contains(head), firstQuery >= 0, queryCount >= 0, firstQuery <= t - queryCount,
              keys.lowerBound >= 0, keys.upperBound <= t, covered, !overflow, probabilities.count == expected,
              (entropies?.count ?? queryCount) == queryCount
        else {
            record(.bufferSize(what: "attention rows \(firstQuery)..<\(firstQuery + queryCount) × keys \(keys) of head \(head)", expected: expected, actual: probabilities.count))
            return
        }
        update(head: head) { sums in
            for r in 0..<queryCount {
                let query = firstQuery + r, first = mask.firstKey(query: query)
                let start = r * width + first - keys.lowerBound
                sums.add(
                    query: query, row: UnsafeBufferPointer(rebasing: probabilities[start ..< start + mask.keyCount(query: query)]),
                    firstKey: first, entropy: entropies?[r])
            }
        }
    }

    /// Every head's statistics, head 0 first, once all rows have been added.
    ///
    /// Throws the first malformed ``add(head:firstQuery:queryCount:keys:probabilities:entropies:)``
    /// call, or the first non-finite probability (lowest head, then query) with
    /// its offset in the `[H, T, T]` map.
    public func statistics() throws -> [HeadStatistics] {
        if let problem = problem.withLock({ $0 }) { throw problem }
        let t = mask.tokenCount
        if let head = sums.firstIndex(where: { $0.firstNonFinite != nil }), let at = sums[head].firstNonFinite {
            throw AnalysisError.nonFinite(what: "attention [H, T, T]", offset: (head * t + at.query) * t + at.key)
        }
        return sums.map { $0.statistics(mask) }
    }

    /// Runs `body` on head `head`'s sums (in range); one thread per head at a time.
    func update(head: Int, _ body: (inout HeadSums) -> Void) {
        body(&sums[head])
    }

    private func record(_ error: AnalysisError) {
        problem.withLock { if $0 == nil { $0 = error } }
    }
}
