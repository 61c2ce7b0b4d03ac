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

    enum CodingKeys: String, CodingKey {
        case family, variant, layers, heads, parameters, causal
        case kvHeads = "kv_heads"
        case headDim = "head_dim"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_positions"
    }
}
