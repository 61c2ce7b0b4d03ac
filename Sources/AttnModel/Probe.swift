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
        assert(
            values.count == tokenCount * hiddenSize,
            "h[\(index)]: \(values.count) floats for [\(tokenCount), \(hiddenSize)]")
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
    private let attention: UnsafeBufferPointer<Float>?
    private let values: UnsafeBufferPointer<Float>
    private let valueEmbedding: ValueEmbeddingRows?
    /// The residual stream after this block, `h[layer + 1]`.
    public let hidden: HiddenStateView

    init(
        layer: Int, tokenCount: Int, heads: Int, kvHeads: Int, headDim: Int, causal: Bool, window: Int? = nil,
        attention: UnsafeBufferPointer<Float>?, values: UnsafeBufferPointer<Float>,
        valueEmbedding: ValueEmbeddingRows? = nil, hidden: consuming HiddenStateView
    ) {
        assert(
            (attention?.count ?? heads * tokenCount * tokenCount) == heads * tokenCount * tokenCount,
            "block \(layer): \(attention?.count ?? 0) attention floats for [\(heads), \(tokenCount), \(tokenCount)]")
        assert(
            values.count == kvHeads * tokenCount * headDim,
            "block \(layer): \(values.count) value floats for [\(kvHeads), \(tokenCount), \(headDim)]")
        self.layer = layer
        self.tokenCount = tokenCount
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.causal = causal
        self.window = window
        self.attention = attention
        self.values = values
        assert(
            valueEmbedding.map { $0.gates.count == tokenCount * kvHeads && $0.norms.count == tokenCount * kvHeads }
                ?? true,
            "block \(layer): value-embedding rows are not [\(tokenCount), \(kvHeads)]")
        self.valueEmbedding = valueEmbedding
        self.hidden = hidden
    }

    /// Calls `body` with the post-softmax attention probabilities, `[H, T, T]`
    /// row-major: head `h`, query `i`, key `j` at `(h·T + i)·T + j`; masked
    /// entries are 0. Nil (without calling `body`) unless the observer's
    /// ``AttentionRequest`` for this block asked for the whole map.
    public func withAttention<R>(_ body: (Span<Float>) throws -> R) rethrows -> R? {
        guard let attention else { return nil }
        return try body(attention.span)
    }

    /// Calls `body` with the value states exactly as attention consumes them, `[G, T, d]` row-major.
    public func withValues<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(values.span)
    }

    /// Calls `body` with the gates and the norms of what a value embedding
    /// added to this block's values, both `[T, G]` row-major (token `t`,
    /// kv head `g` at `t·G + g`): `gate[t][g]` and `‖gate[t][g]·ve[t][g]‖₂`.
    /// Nil (without calling `body`) on a block with no value embedding.
    public func withValueEmbedding<R>(_ body: (_ gates: Span<Float>, _ norms: Span<Float>) throws -> R) rethrows -> R? {
        guard let valueEmbedding else { return nil }
        return try body(valueEmbedding.gates.span, valueEmbedding.norms.span)
    }
}

/// What a value embedding (nanochat) added to one block's values: per token
/// and kv head its gate and the norm of the gated embedding, `[T, G]` each.
/// Scratch of the model's, lent only through ``BlockCapture``.
struct ValueEmbeddingRows {
    let gates: UnsafeBufferPointer<Float>
    let norms: UnsafeBufferPointer<Float>
}

/// One head's attention probabilities for a block of consecutive queries,
/// lent to an ``AttentionRowConsumer`` while the block's attention runs.
///
/// Only the keys `keys` are stored: query `firstQuery + r` gives key
/// `keys.lowerBound + c` the probability at `r·keys.count + c`. Causally
/// `keys` ends after the last query's key and starts at the first query's
/// first visible key, so entries of the block that a query may not see are 0.
/// The buffer is scratch reused for the next block: copy what you keep.
public struct AttentionRows: ~Copyable {
    /// The query head `h`.
    public let head: Int
    /// The first query of the block.
    public let firstQuery: Int
    /// The keys the block's rows span.
    public let keys: Range<Int>
    private let probabilities: UnsafeBufferPointer<Float>
    private let entropies: UnsafeBufferPointer<Double>
    private let norms: HeadNormRows?

    init(
        head: Int, firstQuery: Int, keys: Range<Int>, probabilities: UnsafeBufferPointer<Float>,
        entropies: UnsafeBufferPointer<Double>,
        norms: HeadNormRows? = nil
    ) {
        assert(
            keys.count > 0 && probabilities.count == entropies.count * keys.count,
            "head \(head): \(probabilities.count) floats for \(entropies.count) rows of \(keys.count) keys")
        assert(
            norms.map { $0.outputs.count == entropies.count && $0.keys.count == entropies.count } ?? true,
            "head \(head): output norms for \(norms?.outputs.count ?? 0) of \(entropies.count) rows")
        self.norms = norms
        self.head = head
        self.firstQuery = firstQuery
        self.keys = keys
        self.probabilities = probabilities
        self.entropies = entropies
    }

    /// The number of queries in the block.
    public var queryCount: Int { probabilities.count / keys.count }

    /// Calls `body` with the rows, `[queryCount, keys.count]` row-major.
    public func withProbabilities<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(probabilities.span)
    }

    /// Calls `body` with each row's entropy `−Σ_j p_j ln p_j` in nats over
    /// the keys its query sees, `[queryCount]`, computed by the softmax that
    /// produced the row (so the analysis need not take a logarithm per entry).
    public func withEntropies<R>(_ body: (Span<Double>) throws -> R) rethrows -> R {
        try body(entropies.span)
    }

    /// Calls `body` with what the head's output projection makes of its
    /// values and outputs at the block's positions `firstQuery + r`:
    /// `keyNorms[r] = ‖v W_O^h‖₂` of the value there (as a key) and
    /// `outputNorms[r] = ‖o W_O^h‖₂` of the row's output `o = Σ_j A_ij v_j`,
    /// both `[queryCount]`, `W_O^h` the head's columns of the output projection
    /// without its bias. Every position is one block's, so a head's blocks
    /// together lend every key's norm. Nil (without calling `body`)
    /// unless the request asked for ``AttentionRequest/headNorms`` and the
    /// family measures them.
    public func withHeadNorms<R>(
        _ body: (_ keyNorms: Span<Float>, _ outputNorms: Span<Float>) throws -> R
    ) rethrows -> R? {
        guard let norms else { return nil }
        return try body(norms.keys.span, norms.outputs.span)
    }
}

/// One head's value and output norms through its output projection, lent with its ``AttentionRows``.
struct HeadNormRows {
    /// `‖v_i W_O^h‖₂` at the block's positions, `[queryCount]`.
    let keys: UnsafeBufferPointer<Float>
    /// `‖o_i W_O^h‖₂` for the rows of the block, `[queryCount]`.
    let outputs: UnsafeBufferPointer<Float>
}

/// Reduces attention rows while a block's attention runs.
///
/// ``consume(_:)`` is called from several threads at once for different
/// heads; one head's blocks arrive one at a time, in query order.
public protocol AttentionRowConsumer: AnyObject, Sendable {
    func consume(_ rows: borrowing AttentionRows)
}

/// One block's attention as announced to the observer before it runs.
public struct AttentionLayout: Sendable {
    /// The block index `l`, 0-based.
    public let layer: Int
    /// Query heads `H`.
    public let heads: Int
    public let tokenCount: Int
    /// True when query `i` sees keys `0…i` only.
    public let causal: Bool
    /// With `causal`, the sliding window `w`; nil for none.
    public let window: Int?
    /// True when every head has a learned sink logit (GPT-OSS): rows sum to less than 1.
    public var learnedSinks = false
}

/// What an observer wants of one block's attention probabilities.
public struct AttentionRequest {
    /// Receives every head's probabilities a block of query rows at a time; nil for none.
    public var rows: (any AttentionRowConsumer)?
    /// Keeps the block's whole `[H, T, T]` map for ``BlockCapture/withAttention(_:)``:
    /// `H·T²` floats, so ask only for maps that are saved or drawn.
    public var wholeMap: Bool
    /// Lends each row block its head's value and output norms through the
    /// output projection (``AttentionRows/withHeadNorms(_:)``); costs about
    /// `2·H·T·d²` multiply-adds a block, and a factorization of `W_O` once per block.
    public var headNorms: Bool

    public init(rows: (any AttentionRowConsumer)? = nil, wholeMap: Bool = false, headNorms: Bool = false) {
        self.rows = rows
        self.wholeMap = wholeMap
        self.headNorms = headNorms
    }
}

/// Receives a forward pass's observations in order: `embeddings` once (h[0]),
/// then for each block `0 … L-1` `attention` as its attention starts and
/// `block` as it finishes. The views borrowed end with each call.
public protocol ProbeObserver {
    /// Whether the observers of one batch's prompts may be called at the same
    /// time, each on its own thread (default: no). Say yes only when an
    /// observer touches nothing but its own state: then a batch of short
    /// prompts reduces its samples side by side instead of one at a time.
    /// Each observer still sees its own calls in order.
    static var observesConcurrently: Bool { get }
    mutating func embeddings(_ hidden: borrowing HiddenStateView) throws
    /// How the attention probabilities of the block `layout` describes are to be handed over.
    mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest
    mutating func block(_ capture: borrowing BlockCapture) throws
}

extension ProbeObserver {
    public static var observesConcurrently: Bool { false }
}
