import AttnCheckpoint

/// A nanochat `meta_<step>.json`'s `model_config` (nanochat's `GPTConfig`),
/// as `Checkpoint` presents it: `{"model_type": "nanochat", "step": …, "model_config": {…}}`.
///
/// Every key of `model_config` must be one nanochat's `GPTConfig` has and
/// this family implements; any other is refused by name. A missing
/// `window_pattern` is `"L"`, as nanochat's checkpoint loader patches it.
struct NanochatConfiguration: Decodable {
    let step: Int
    let sequenceLength: Int
    let vocabularySize: Int
    let layers: Int
    let heads: Int
    let kvHeads: Int
    let hiddenSize: Int
    let windowPattern: String

    /// nanochat pads the embedding and LM head rows to a multiple of this.
    static let vocabularyPadding = 64
    /// Channels of the block input that drive the value-embedding gate.
    static let gateChannels = 12
    /// Channels of the normed embedding that drive the smear gate.
    static let smearChannels = 24

    private enum Keys: String, CodingKey { case step, modelConfig = "model_config" }
    private enum ModelKeys: String, CodingKey, CaseIterable {
        case sequenceLength = "sequence_len", vocabularySize = "vocab_size", layers = "n_layer", heads = "n_head"
        case kvHeads = "n_kv_head", hiddenSize = "n_embd", windowPattern = "window_pattern"
    }
    private struct AnyKey: CodingKey {
        let stringValue: String
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let top = try decoder.container(keyedBy: Keys.self)
        step = try top.decode(Int.self, forKey: .step)
        let unknown = try top.nestedContainer(keyedBy: AnyKey.self, forKey: .modelConfig).allKeys
            .map(\.stringValue).filter { ModelKeys(rawValue: $0) == nil }.sorted()
        if let key = unknown.first {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: [Keys.modelConfig],
                    debugDescription:
                        "model_config key '\(key)' is not one nanochat's GPTConfig has that attnscope implements"))
        }
        let c = try top.nestedContainer(keyedBy: ModelKeys.self, forKey: .modelConfig)
        sequenceLength = try c.decode(Int.self, forKey: .sequenceLength)
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        layers = try c.decode(Int.self, forKey: .layers)
        heads = try c.decode(Int.self, forKey: .heads)
        kvHeads = try c.decode(Int.self, forKey: .kvHeads)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        windowPattern = try c.decodeIfPresent(String.self, forKey: .windowPattern) ?? "L"
    }

    /// Checks every number against ``ModelLimits`` and the shapes nanochat's
    /// code asserts, naming `meta_<step>.json` and the key.
    func validate(path: String) throws {
        let check = ConfigCheck(path: path)
        try check.count("model_config.sequence_len", sequenceLength, ModelLimits.contextLength)
        try check.count("model_config.vocab_size", vocabularySize, ModelLimits.vocabularySize)
        try check.count("model_config.n_layer", layers, ModelLimits.layers)
        try check.count("model_config.n_head", heads, ModelLimits.heads)
        try check.count("model_config.n_kv_head", kvHeads, ModelLimits.heads)
        try check.count("model_config.n_embd", hiddenSize, ModelLimits.hiddenSize)
        guard hiddenSize % heads == 0, heads % kvHeads == 0, (hiddenSize / heads) % 2 == 0,
            ModelLimits.headDim.contains(hiddenSize / heads)
        else {
            throw ModelError(
                path: path,
                "meta json: n_embd \(hiddenSize), n_head \(heads), n_kv_head \(kvHeads) do not make an even head size shared by the kv heads"
            )
        }
        guard hiddenSize >= Self.smearChannels else {
            throw ModelError(
                path: path,
                "meta json: n_embd \(hiddenSize) is below the \(Self.smearChannels) channels nanochat's smear gate reads"
            )
        }
        guard !windowPattern.isEmpty, windowPattern.count <= 1024,
            windowPattern.uppercased().allSatisfy({ $0 == "S" || $0 == "L" })
        else {
            throw ModelError(
                path: path, "meta json: window_pattern '\(windowPattern.prefix(32))' is not a string of S and L")
        }
    }

    var headDim: Int { hiddenSize / heads }

    /// Embedding rows: the vocabulary padded to a multiple of 64.
    var paddedVocabularySize: Int {
        (vocabularySize + Self.vocabularyPadding - 1) / Self.vocabularyPadding * Self.vocabularyPadding
    }

    /// Whether block `layer` adds a value embedding: nanochat's `has_ve`
    /// (alternating, the last block always).
    func hasValueEmbedding(_ layer: Int) -> Bool { layer % 2 == (layers - 1) % 2 }

    /// nanochat's left window of each block (key `j` visible to query `i`
    /// when `0 ≤ i − j ≤ w`): `S` a quarter of the context rounded up to a
    /// multiple of 128 (`-(-L // 4 // 128) * 128`: 512 at 2,048, although the
    /// code's comment says 768), `L` the whole context; the pattern tiled, the
    /// last block always `L`.
    var leftWindows: [Int] {
        let pattern = Array(windowPattern.uppercased())
        let short = ((sequenceLength + 3) / 4 + 127) / 128 * 128
        return (0..<layers).map { l in l == layers - 1 || pattern[l % pattern.count] == "L" ? sequenceLength : short }
    }
}
