/// A read-only view of one block's post-softmax attention, `[H, T, T]`.
///
/// Row-major: head `h`, query `i`, key `j` at `(h·T + i)·T + j`. With a causal
/// mask query `i` sees keys `0 … i` and entries above the diagonal are ignored
/// (they are 0 in a captured map); bidirectionally every query sees all `T`
/// keys. The view borrows the buffer, so it is lent only inside
/// ``withMap(heads:tokenCount:causal:window:probabilities:_:)``: it cannot be
/// copied or kept past the closure, and its probabilities come out only as a `Span`.
public struct AttentionMap: ~Copyable {
    /// Query heads `H`.
    public let heads: Int
    /// Tokens `T` (queries and keys).
    public let tokenCount: Int
    /// True when query `i` sees keys `0 … i` only.
    public let causal: Bool
    /// With `causal`, a sliding window `w`: query `i` sees keys `i − w + 1 … i`
    /// only (masked entries 0). Nil for no window.
    public let window: Int?
    /// The probabilities, `[H, T, T]` row-major; valid only while the buffer lent to the view is.
    let probabilities: UnsafeBufferPointer<Float>

    /// Lends `body` a view of `probabilities` (`[H, T, T]` row-major) after checking that it holds
    /// exactly `H·T·T` floats and that a `window` is at least 1.
    public static func withMap<R>(
        heads: Int, tokenCount: Int, causal: Bool, window: Int? = nil, probabilities: Span<Float>,
        _ body: (borrowing AttentionMap) throws -> R
    ) throws -> R {
        try probabilities.withUnsafeBufferPointer { buffer in
            try body(
                AttentionMap(
                    heads: heads, tokenCount: tokenCount, causal: causal, window: window, probabilities: buffer))
        }
    }

    /// The probabilities, `[H, T, T]` row-major, lent to `body`.
    public func withProbabilities<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(probabilities.span)
    }

    /// Wraps `probabilities` after checking that it holds exactly `H·T·T` floats
    /// and that a `window` is at least 1. The caller keeps the buffer alive while the view is used.
    init(
        heads: Int, tokenCount: Int, causal: Bool, window: Int? = nil, probabilities: UnsafeBufferPointer<Float>
    ) throws {
        if let window, window < 1 {
            throw AnalysisError.invalidDimension(what: "attention map", name: "window", value: window)
        }
        guard heads > 0 else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "heads", value: heads)
        }
        guard tokenCount > 0 else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "tokenCount", value: tokenCount)
        }
        let (square, overflow1) = tokenCount.multipliedReportingOverflow(by: tokenCount)
        let (expected, overflow2) = square.multipliedReportingOverflow(by: heads)
        guard !overflow1, !overflow2, probabilities.count == expected else {
            throw AnalysisError.bufferSize(
                what: "attention map [H, T, T]", expected: expected, actual: probabilities.count)
        }
        self.init(
            checkedHeads: heads, tokenCount: tokenCount, causal: causal, window: window, probabilities: probabilities)
    }

    /// Another view of a buffer and shape a throwing `init` already checked (one per worker thread).
    init(
        checkedHeads heads: Int, tokenCount: Int, causal: Bool, window: Int?, probabilities: UnsafeBufferPointer<Float>
    ) {
        self.heads = heads
        self.tokenCount = tokenCount
        self.causal = causal
        self.window = causal ? window : nil
        self.probabilities = probabilities
    }

    /// The keys each query sees.
    public var mask: AttentionMask { AttentionMask(tokenCount: tokenCount, causal: causal, window: window) }

    /// The first key query `i` sees: `i − w + 1` past a window `w`, else 0.
    public func firstKey(query: Int) -> Int { mask.firstKey(query: query) }

    /// `n_i`, the number of keys query `i` sees (``AttentionMask/keyCount(query:)``).
    public func keyCount(query: Int) -> Int { mask.keyCount(query: query) }

    /// The number of queries that see key `k` (``AttentionMask/queryCount(key:)``).
    public func queryCount(key: Int) -> Int { mask.queryCount(key: key) }

    /// Row entropy `H_i = -Σ_j A_ij ln A_ij` in nats over the keys query `i` of head `h` sees (`0 · ln 0 = 0`).
    ///
    /// Throws when `head` or `query` is out of range.
    public func rowEntropy(head: Int, query: Int) throws -> Double {
        try check(head: head)
        guard (0..<tokenCount).contains(query) else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "query", value: query)
        }
        let start = (head * tokenCount + query) * tokenCount + firstKey(query: query)
        return EntropyKernel.entropy(
            UnsafeBufferPointer(rebasing: probabilities[start..<start + keyCount(query: query)]))
    }

    /// Throws unless `0 ≤ head < H`.
    func check(head: Int) throws {
        guard (0..<heads).contains(head) else {
            throw AnalysisError.invalidDimension(what: "attention map", name: "head", value: head)
        }
    }
}
