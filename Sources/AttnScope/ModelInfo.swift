/// The `"model"` object of `metrics.json` (metrics.md, schema version 1) and `run.json`.
public struct ModelInfo: Codable, Sendable, Equatable {
    public var path: String
    /// `safetensors`, `pytorch` (a `pytorch_model.bin` folder or a nanochat run) or `gguf`.
    public var format: String
    public var family: String
    public var variant: String
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var hiddenSize: Int
    public var parameters: Int
    /// fp16 KV-cache bytes per token (metrics.md, "Memory accounting").
    public var kvCacheBytesPerToken: Int
    /// The cache relative to a plain multi-head transformer of the same shape.
    public var kvCacheRatio: Double
    /// The sliding window `w` of Mistral and Qwen2 blocks; absent when no block slides.
    public var slidingWindow: Int?
    /// The blocks that slide; their share of the cache stops growing at `w`
    /// tokens. Absent when no block slides.
    public var slidingBlocks: Int?
    /// Each block's sliding window, null for a global block (every earlier key visible); absent in
    /// documents written before attnscope recorded it.
    public var blockWindows: [Int?]?
    /// The blocks with no window (`block_windows` null), for readers; absent with `block_windows`.
    public var globalBlocks: [Int]?
    /// Set when `--variant` asked for a computation the checkpoint was not trained with: its
    /// results show that computation on these weights, not a trained model of the variant.
    public var counterfactual: String?
    public var causal: Bool
    public var maxPositions: Int
    /// The tokenizer's kind, or nil when the checkpoint has none.
    public var tokenizer: String?

    enum CodingKeys: String, CodingKey {
        case path, format, family, variant, layers, heads, parameters, causal, tokenizer, counterfactual
        case blockWindows = "block_windows"
        case globalBlocks = "global_blocks"
        case kvHeads = "kv_heads"
        case headDim = "head_dim"
        case hiddenSize = "hidden_size"
        case kvCacheBytesPerToken = "kv_cache_bytes_per_token"
        case kvCacheRatio = "kv_cache_ratio"
        case slidingWindow = "sliding_window"
        case slidingBlocks = "sliding_blocks"
        case maxPositions = "max_positions"
    }
}
