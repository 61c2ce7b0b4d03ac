/// One residual-stream state `h[index]`, handed to a ``ProbeObserver``.
///
/// The values live in a buffer the model reuses for the next block. So the
/// view is noncopyable (an observer borrows it and cannot keep it), and its
/// values come out only as a `Span` inside ``withValues(_:)``, which cannot
/// outlive the call: copy what you keep.
public struct HiddenStateView: ~Copyable {
    /// `0` for the input to block 0, `l` for the residual stream after block `l`.
    public let index: Int
    public let tokenCount: Int
    public let hiddenSize: Int
    private let values: UnsafeBufferPointer<Float>

    init(index: Int, tokenCount: Int, hiddenSize: Int, values: UnsafeBufferPointer<Float>) {
        assert(values.count == tokenCount * hiddenSize, "h[\(index)]: \(values.count) floats for [\(tokenCount), \(hiddenSize)]")
        self.index = index
        self.tokenCount = tokenCount
        self.hiddenSize = hiddenSize
        self.values = values
    }

    /// Calls `body` with the state, row-major `[tokenCount, hiddenSize]`:
    /// token `t`'s state is `[t·hiddenSize ..< (t+1)·hiddenSize]`.
    public func withValues<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(values.span)
    }
}

/// Everything one block exposes to a ``ProbeObserver`` as it finishes.
///
/// All buffers belong to the model and are reused for the next block: the
/// capture is noncopyable and lends them out only as spans inside a call.
public struct BlockCapture: ~Copyable {
    /// The block index `l`, 0-based.
    public let layer: Int
    public let tokenCount: Int
    /// Query heads `H`.
    public let heads: Int
    /// Key/value heads `G` (`G = H` without grouped-query attention).
    public let kvHeads: Int
    /// Head size `d`.
    public let headDim: Int
    /// True when query `i` sees keys `0…i` only.
    public let causal: Bool
    /// With `causal`, the sliding window `w`: query `i` sees keys
    /// `i − w + 1 … i` only. Nil for no window.
    public let window: Int?
    private let attention: UnsafeBufferPointer<Float>
    private let values: UnsafeBufferPointer<Float>
    /// The residual stream after this block, `h[layer + 1]`.
    public let hidden: HiddenStateView

    init(
        layer: Int, tokenCount: Int, heads: Int, kvHeads: Int, headDim: Int, causal: Bool, window: Int? = nil,
        attention: UnsafeBufferPointer<Float>, values: UnsafeBufferPointer<Float>, hidden: consuming HiddenStateView
    ) {
        assert(attention.count == heads * tokenCount * tokenCount, "block \(layer): \(attention.count) attention floats for [\(heads), \(tokenCount), \(tokenCount)]")
        assert(values.count == kvHeads * tokenCount * headDim, "block \(layer): \(values.count) value floats for [\(kvHeads), \(tokenCount), \(headDim)]")
        self.layer = layer
        self.tokenCount = tokenCount
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.causal = causal
        self.window = window
        self.attention = attention
        self.values = values
        self.hidden = hidden
    }

    /// Calls `body` with the post-softmax attention probabilities, `[H, T, T]`
    /// row-major: head `h`, query `i`, key `j` at `(h·T + i)·T + j`. Masked entries are 0.
    public func withAttention<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(attention.span)
    }

    /// Calls `body` with the value states exactly as attention consumes them, `[G, T, d]` row-major.
    public func withValues<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(values.span)
    }
}

/// Receives a forward pass's observations in order: `embeddings` once (h[0]),
/// then `block` for blocks `0 … L-1`. Both borrow views that end with the call.
public protocol ProbeObserver {
    mutating func embeddings(_ hidden: borrowing HiddenStateView) throws
    mutating func block(_ capture: borrowing BlockCapture) throws
}
