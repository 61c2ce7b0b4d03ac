/// The shape and identity of a loaded model: what `inspect` prints and
/// what `metrics.json` records under `"model"`.
public struct ModelDescription: Sendable, Codable, Equatable {
    /// `llama`, `gpt2` or `bert`.
    public var family: String
    /// The architecture variant (`transformer`, `resformer`, `svformer`, …).
    public var variant: String
    /// Blocks `L`.
    public var layers: Int
    /// Query heads `H`.
    public var heads: Int
    /// Key/value heads `G`.
    public var kvHeads: Int
    /// Head size `d`.
    public var headDim: Int
    /// Residual width `D`.
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    /// The longest sequence the position encoding supports.
    public var maxPositions: Int
    /// True for decoders (query `i` sees keys `0…i`), false for BERT.
    public var causal: Bool
    /// Parameters stored in the checkpoint.
    public var parameters: Int
    /// Blocks that compute and cache their own keys (fewer than `layers` with CLA).
    public var keyBlocks: Int
    /// Blocks that compute and cache their own values (1 for SVFormer).
    public var valueBlocks: Int
    /// The sliding window `w` of Mistral and Qwen2 (query `i` sees keys
    /// `i − w + 1 … i`), nil when every block attends to all earlier keys.
    public var slidingWindow: Int?
    /// Blocks that attend through `slidingWindow`; their caches hold at most
    /// `w` tokens.
    public var slidingBlocks: Int

    public init(
        family: String, variant: String, layers: Int, heads: Int, kvHeads: Int, headDim: Int, hiddenSize: Int,
        intermediateSize: Int, vocabularySize: Int, maxPositions: Int, causal: Bool, parameters: Int,
        keyBlocks: Int, valueBlocks: Int, slidingWindow: Int? = nil, slidingBlocks: Int = 0
    ) {
        self.family = family
        self.variant = variant
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.causal = causal
        self.parameters = parameters
        self.keyBlocks = keyBlocks
        self.valueBlocks = valueBlocks
        self.slidingWindow = slidingWindow
        self.slidingBlocks = slidingBlocks
    }

    enum CodingKeys: String, CodingKey {
        case family, variant, layers, heads, parameters, causal
        case kvHeads = "kv_heads"
        case headDim = "head_dim"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_positions"
        case keyBlocks = "key_blocks"
        case valueBlocks = "value_blocks"
        case slidingWindow = "sliding_window"
        case slidingBlocks = "sliding_blocks"
    }
}
