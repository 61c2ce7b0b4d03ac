import Synchronization

/// Every head's ``HeadStatistics`` of one block, gathered while its attention
/// is computed, a block of query rows at a time, so the block's whole
/// `[H, T, T]` map never has to exist.
///
/// ``add(head:firstQuery:queryCount:keys:probabilities:entropies:keyNorms:outputNorms:)`` may be called from
/// several threads at once for different heads (never for the same head at
/// once). A malformed call is remembered and thrown by ``statistics()``.
public final class HeadStatisticsAccumulator: @unchecked Sendable {
    /// Query heads `H`.
    public let heads: Int
    /// The keys each query sees.
    public let mask: AttentionMask
    /// The sample's repeated tokens, for the duplicate-token and induction scores; nil without token ids.
    public let repeats: TokenRepeats?
    private let sums: UnsafeMutableBufferPointer<HeadSums>
    private let problem = Mutex<AnalysisError?>(nil)

    /// An accumulator for `heads` heads over `mask`, scoring head roles over
    /// `tokenIDs` (`T` ids; nil leaves the duplicate-token and induction
    /// scores out); throws when a size is not positive or the ids are not `T`.
    public convenience init(heads: Int, mask: AttentionMask, tokenIDs: [Int]? = nil) throws {
        try self.init(
            heads: heads, mask: mask, repeats: tokenIDs.map(TokenRepeats.init(tokenIDs:)), tokenCount: tokenIDs?.count)
    }

    /// An accumulator scoring head roles over `repeats`, the sample's repeated
    /// tokens built once (``TokenRepeats``) and shared by its blocks.
    public convenience init(heads: Int, mask: AttentionMask, repeats: TokenRepeats?) throws {
        try self.init(heads: heads, mask: mask, repeats: repeats, tokenCount: repeats?.count)
    }

    private init(heads: Int, mask: AttentionMask, repeats: TokenRepeats?, tokenCount: Int?) throws {
        guard heads > 0 else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "heads", value: heads)
        }
        guard mask.tokenCount > 0 else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "tokenCount", value: mask.tokenCount)
        }
        if let window = mask.window, window < 1 {
            throw AnalysisError.invalidDimension(what: "attention map", name: "window", value: window)
        }
        if let tokenCount, tokenCount != mask.tokenCount {
            throw AnalysisError.inconsistent(
                what: "token ids of the attention map", expected: mask.tokenCount, actual: tokenCount)
        }
        self.heads = heads
        self.mask = mask
        self.repeats = repeats
        sums = .allocate(capacity: heads)
        sums.initialize(repeating: HeadSums(tokenCount: mask.tokenCount, learnedSinks: mask.learnedSinks))
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
    /// are computed from the probabilities. `keyNorms`, when given, is
    /// `ν_i = ‖v_i W_O^h‖₂` of this head at the rows' own positions `i` (the
    /// values there as keys, `[queryCount]`), and `outputNorms` each row's
    /// `‖o_i W_O^h‖₂` (`[queryCount]`);
    /// the two come together, and a head gets its value-weighted share and
    /// output norm only when every row came with them.
    public func add(
        head: Int, firstQuery: Int, queryCount: Int, keys: Range<Int>, probabilities: UnsafeBufferPointer<Float>,
        entropies: UnsafeBufferPointer<Double>? = nil, keyNorms: UnsafeBufferPointer<Float>? = nil,
        outputNorms: UnsafeBufferPointer<Float>? = nil
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
            (entropies?.count ?? queryCount) == queryCount, (keyNorms?.count ?? queryCount) == queryCount,
            (outputNorms?.count ?? queryCount) == queryCount, (outputNorms == nil) == (keyNorms == nil)
        else {
            record(
                .bufferSize(
                    what: "attention rows \(firstQuery)..<\(firstQuery + queryCount) × keys \(keys) of head \(head)",
                    expected: expected, actual: probabilities.count))
            return
        }
        update(head: head) { sums in
            for r in 0..<queryCount {
                let query = firstQuery + r, first = mask.firstKey(query: query)
                let start = r * width + first - keys.lowerBound
                let row = UnsafeBufferPointer(rebasing: probabilities[start..<start + mask.keyCount(query: query)])
                add(query: query, row: row, firstKey: first, entropy: entropies?[r], to: &sums)
                if let keyNorms, let outputNorms {
                    sums.addValueWeights(position: query, keyNorm: keyNorms[r], outputNorm: outputNorms[r])
                }
            }
        }
    }

    /// Every head's statistics, head 0 first, once all rows have been added.
    ///
    /// Throws the first malformed ``add(head:firstQuery:queryCount:keys:probabilities:entropies:keyNorms:outputNorms:)``
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

    /// Adds one query's visible row to a head's sums, with its role terms when token ids were given.
    func add(query: Int, row: UnsafeBufferPointer<Float>, firstKey: Int, entropy: Double?, to sums: inout HeadSums) {
        sums.add(query: query, row: row, firstKey: firstKey, entropy: entropy)
        if let repeats { sums.addRoles(query: query, row: row, firstKey: firstKey, repeats: repeats) }
    }

    /// Runs `body` on head `head`'s sums (in range); one thread per head at a time.
    func update(head: Int, _ body: (inout HeadSums) -> Void) {
        body(&sums[head])
    }

    private func record(_ error: AnalysisError) {
        problem.withLock { if $0 == nil { $0 = error } }
    }
}
