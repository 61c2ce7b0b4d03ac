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
    /// Each block's sliding window `w` (query `i` sees keys `i − w + 1 … i`),
    /// nil for a global block, which attends to all earlier keys; `layers` entries.
    public var blockWindows: [Int?]
    /// Why the results are not those of a trained model of ``variant``, or nil:
    /// the variant was asked for, but the checkpoint was trained as another
    /// (e.g. "variant resformer applied to a checkpoint trained as transformer").
    public var counterfactual: String?

    /// The sliding window `w` of the first block that slides (Mistral, Qwen2,
    /// Gemma 3), nil when every block attends to all earlier keys.
    public var slidingWindow: Int? { blockWindows.lazy.compactMap { $0 }.first }
    /// Blocks that attend through a window; their caches hold at most `w` tokens.
    public var slidingBlocks: Int { blockWindows.filter { $0 != nil }.count }

    /// A description; `blockWindows` is empty (no block slides) or one entry per block.
    public init(
        family: String, variant: String, layers: Int, heads: Int, kvHeads: Int, headDim: Int, hiddenSize: Int,
        intermediateSize: Int, vocabularySize: Int, maxPositions: Int, causal: Bool, parameters: Int,
        keyBlocks: Int, valueBlocks: Int, blockWindows: [Int?] = [], counterfactual: String? = nil
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
        self.blockWindows = blockWindows.isEmpty ? Array(repeating: nil, count: layers) : blockWindows
        self.counterfactual = counterfactual
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
        case counterfactual
        case blockWindows = "block_windows"
    }
}
