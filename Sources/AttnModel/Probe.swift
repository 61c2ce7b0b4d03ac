/// One residual-stream state `h[index]`, handed to a ``ProbeObserver``.
///
/// `values` is row-major `[tokenCount, hiddenSize]`: token `t`'s state is
/// `values[t·hiddenSize ..< (t+1)·hiddenSize]`. The buffer belongs to the
/// model and is valid only during the observer call; copy what you keep.
public struct HiddenStateView {
    /// `0` for the input to block 0, `l` for the residual stream after block `l`.
    public let index: Int
    public let tokenCount: Int
    public let hiddenSize: Int
    public let values: UnsafeBufferPointer<Float>
}

/// Everything one block exposes to a ``ProbeObserver`` as it finishes.
///
/// All buffers belong to the model and are reused for the next block: they
/// are valid only during the observer call.
public struct BlockCapture {
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
    /// Post-softmax attention probabilities, `[H, T, T]` row-major:
    /// head `h`, query `i`, key `j` at `(h·T + i)·T + j`. Masked entries are 0.
    public let attention: UnsafeBufferPointer<Float>
    /// Value states exactly as attention consumes them, `[G, T, d]` row-major.
    public let values: UnsafeBufferPointer<Float>
    /// The residual stream after this block, `h[layer + 1]`.
    public let hidden: HiddenStateView
}

/// Receives a forward pass's observations in order: `embeddings` once (h[0]),
/// then `block` for blocks `0 … L-1`.
public protocol ProbeObserver {
    mutating func embeddings(_ hidden: HiddenStateView) throws
    mutating func block(_ capture: BlockCapture) throws
}
