/// Which keys each query of a `T`-token attention call sees.
///
/// Bidirectionally every query sees all `T` keys; causally query `i` sees keys
/// `0 … i`, and with a sliding window `w` only keys `i − w + 1 … i`.
public struct AttentionMask: Equatable, Sendable {
    /// Tokens `T` (queries and keys).
    public let tokenCount: Int
    /// True when query `i` sees keys `0 … i` only.
    public let causal: Bool
    /// With `causal`, the sliding window `w`; nil for none (always nil bidirectionally).
    public let window: Int?
    /// True when each row's softmax had one more slot, a learned sink logit that was dropped (GPT-OSS):
    /// rows sum to `1 − s_i`, and the row entropy counts `s_i` as one more outcome (metrics.md, "Learned sinks").
    public let learnedSinks: Bool

    /// A mask over `tokenCount` tokens; a `window` without `causal` is dropped.
    public init(tokenCount: Int, causal: Bool, window: Int? = nil, learnedSinks: Bool = false) {
        self.tokenCount = tokenCount
        self.causal = causal
        self.window = causal ? window : nil
        self.learnedSinks = learnedSinks
    }

    /// The first key query `i` sees: `i − w + 1` past a window `w`, else 0.
    public func firstKey(query: Int) -> Int { window.map { max(0, query + 1 - $0) } ?? 0 }

    /// `n_i`, the number of keys query `i` sees: `i + 1` causally (at most
    /// `w` with a window), `T` otherwise.
    public func keyCount(query: Int) -> Int { causal ? query + 1 - firstKey(query: query) : tokenCount }

    /// The number of queries that see key `k`: `T - k` causally (at most `w`
    /// with a window), `T` otherwise.
    public func queryCount(key: Int) -> Int { causal ? min(tokenCount - key, window ?? tokenCount) : tokenCount }
}
