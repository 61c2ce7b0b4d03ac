import AttnCheckpoint
import AttnModel

/// The `"model"` object of `metrics.json` (metrics.md, schema version 1) and `run.json`: the
/// model's ``ModelDescription`` and the checkpoint it was read from.
///
/// The shape is not declared twice: ``description`` is the loaded model's own
/// ``ModelDescription`` and every field of it reads through (`info.layers`,
/// `info.kvHeads`). The JSON stays the flat object attnscope has always written:
/// the description's fields beside `path`, `format`, `tokenizer` and the KV-cache figures.
/// Read back from a document, the fields the JSON does not record
/// (`intermediateSize`, `vocabularySize`, `keyBlocks`, `valueBlocks`) are 0.
@dynamicMemberLookup
public struct ModelInfo: Codable, Sendable, Equatable {
    /// The checkpoint's path as given.
    public var path: String
    /// `safetensors`, `pytorch` (a `pytorch_model.bin` folder or a nanochat run) or `gguf`.
    public var format: String
    /// The tokenizer's kind, or nil when the checkpoint has none.
    public var tokenizer: String?
    /// The model's shape and identity.
    public private(set) var description: ModelDescription
    /// fp16 KV-cache bytes per token (metrics.md, "Memory accounting"), as recorded.
    public private(set) var kvCacheBytesPerToken: Int
    /// The cache relative to a plain multi-head transformer of the same shape, as recorded.
    public private(set) var kvCacheRatio: Double
    /// The window fields as a document recorded them, when they are not what ``description`` gives
    /// (a document written before `block_windows` was recorded): written back as read.
    private var recordedWindows: Windows?

    /// The record of a loaded model read from `path`.
    public init(description: ModelDescription, path: String, format: String, tokenizer: String?) {
        self.description = description
        self.path = path
        self.format = format
        self.tokenizer = tokenizer
        kvCacheBytesPerToken = description.kvCacheBytesPerToken()
        kvCacheRatio = description.kvCacheRatio
    }

    /// A field of ``description``.
    public subscript<T>(dynamicMember field: KeyPath<ModelDescription, T>) -> T { description[keyPath: field] }

    /// The sliding window `w` of Mistral, Qwen2 and Gemma 3 blocks; nil when no block slides.
    public var slidingWindow: Int? { windows.slidingWindow }
    /// The blocks that slide; their share of the cache stops growing at `w` tokens. Nil when no block slides.
    public var slidingBlocks: Int? { windows.slidingBlocks }
    /// Each block's sliding window, nil for a global block (every earlier key visible); nil for
    /// documents written before attnscope recorded it.
    public var blockWindows: [Int?]? { windows.blockWindows }
    /// The blocks with no window (`block_windows` null), for readers; nil with ``blockWindows``.
    public var globalBlocks: [Int]? { windows.globalBlocks }

    /// The four window fields of the JSON.
    private struct Windows: Equatable, Sendable {
        var slidingWindow: Int?
        var slidingBlocks: Int?
        var blockWindows: [Int?]?
        var globalBlocks: [Int]?

        /// What `description` gives.
        init(_ d: ModelDescription) {
            slidingWindow = d.slidingWindow
            slidingBlocks = d.slidingWindow.map { _ in d.slidingBlocks }
            blockWindows = d.blockWindows
            globalBlocks = d.blockWindows.indices.filter { d.blockWindows[$0] == nil }
        }

        init(slidingWindow: Int?, slidingBlocks: Int?, blockWindows: [Int?]?, globalBlocks: [Int]?) {
            (self.slidingWindow, self.slidingBlocks, self.blockWindows, self.globalBlocks) = (
                slidingWindow, slidingBlocks, blockWindows, globalBlocks
            )
        }
    }

    private var windows: Windows { recordedWindows ?? Windows(description) }

    /// The JSON object, field for field.
    private struct Record: Codable, Equatable {
        var path: String
        var format: String
        var family: String
        var variant: String
        var layers: Int
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var hiddenSize: Int
        var parameters: Int
        var kvCacheBytesPerToken: Int
        var kvCacheRatio: Double
        var slidingWindow: Int?
        var slidingBlocks: Int?
        var blockWindows: [Int?]?
        var globalBlocks: [Int]?
        var counterfactual: String?
        var causal: Bool
        var maxPositions: Int
        var tokenizer: String?

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

    private var record: Record {
        let d = description
        return Record(
            path: path, format: format, family: d.family, variant: d.variant, layers: d.layers, heads: d.heads,
            kvHeads: d.kvHeads, headDim: d.headDim, hiddenSize: d.hiddenSize, parameters: d.parameters,
            kvCacheBytesPerToken: kvCacheBytesPerToken, kvCacheRatio: kvCacheRatio, slidingWindow: slidingWindow,
            slidingBlocks: slidingBlocks, blockWindows: blockWindows, globalBlocks: globalBlocks,
            counterfactual: d.counterfactual, causal: d.causal, maxPositions: d.maxPositions, tokenizer: tokenizer)
    }

    /// Reads the flat `"model"` object.
    public init(from decoder: any Decoder) throws {
        let r = try Record(from: decoder)
        guard ModelLimits.layers.contains(r.layers) else {  // before the description allocates a window per block
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [Record.CodingKeys.layers],
                    debugDescription: "\(r.layers) blocks is outside \(ModelLimits.layers)"))
        }
        // block_windows of the wrong length (a hostile document) gives the description no window; the fields are kept as read.
        let windows = r.blockWindows.flatMap { $0.count == r.layers ? $0 : nil } ?? []
        description = ModelDescription(
            family: r.family, variant: r.variant, layers: r.layers, heads: r.heads, kvHeads: r.kvHeads,
            headDim: r.headDim,
            hiddenSize: r.hiddenSize, intermediateSize: 0, vocabularySize: 0, maxPositions: r.maxPositions,
            causal: r.causal,
            parameters: r.parameters, keyBlocks: 0, valueBlocks: 0, blockWindows: windows,
            counterfactual: r.counterfactual)
        path = r.path
        format = r.format
        tokenizer = r.tokenizer
        kvCacheBytesPerToken = r.kvCacheBytesPerToken
        kvCacheRatio = r.kvCacheRatio
        let recorded = Windows(
            slidingWindow: r.slidingWindow, slidingBlocks: r.slidingBlocks, blockWindows: r.blockWindows,
            globalBlocks: r.globalBlocks)
        if recorded != Windows(description) { recordedWindows = recorded }
    }

    /// Writes the flat `"model"` object.
    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
    }

    /// Two records are equal when they write the same JSON (fields a document does not record are not compared).
    public static func == (a: ModelInfo, b: ModelInfo) -> Bool { a.record == b.record }
}
