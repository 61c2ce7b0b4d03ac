import AttnCheckpoint

/// The `tokenizer.ggml.*` metadata of a GGUF file (and `general.architecture`), as plain values.
public struct GGUFTokenizerData: Sendable {
    /// `general.architecture`, e.g. `llama` or `gemma3`: transformers picks its SentencePiece builder by it.
    public var architecture: String?
    /// `tokenizer.ggml.model`: `gpt2` (byte-level BPE), `llama` (SentencePiece) or `bert` (WordPiece).
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer name, e.g. `smollm`, `llama-bpe`, `gpt-2`.
    public var pre: String?
    /// `tokenizer.ggml.tokens`: vocabulary strings, index = id (byte-level entries in the GPT-2 alphabet).
    public var tokens: [String]
    /// `tokenizer.ggml.merges`: merge rules `"a b"` in rank order.
    public var merges: [String]
    /// `tokenizer.ggml.token_type` per id: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
    public var tokenTypes: [Int]?
    /// `tokenizer.ggml.scores` per id (SentencePiece).
    public var scores: [Float]?
    /// `tokenizer.ggml.bos_token_id`.
    public var bosTokenID: Int?
    /// `tokenizer.ggml.eos_token_id`.
    public var eosTokenID: Int?
    /// `tokenizer.ggml.unknown_token_id`.
    public var unknownTokenID: Int?
    /// `tokenizer.ggml.padding_token_id`.
    public var paddingTokenID: Int?
    /// `tokenizer.ggml.add_bos_token`.
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`.
    public var addEOS: Bool?
    /// `tokenizer.ggml.add_space_prefix` (SentencePiece).
    public var addSpacePrefix: Bool?

    /// Tokenizer metadata from already-read GGUF values.
    public init(
        architecture: String? = nil, model: String, pre: String? = nil, tokens: [String], merges: [String] = [],
        tokenTypes: [Int]? = nil,
        scores: [Float]? = nil, bosTokenID: Int? = nil, eosTokenID: Int? = nil, unknownTokenID: Int? = nil,
        paddingTokenID: Int? = nil, addBOS: Bool? = nil, addEOS: Bool? = nil, addSpacePrefix: Bool? = nil
    ) {
        self.architecture = architecture
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.merges = merges
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.unknownTokenID = unknownTokenID
        self.paddingTokenID = paddingTokenID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }

    /// The tokenizer metadata of a GGUF file, or nil when it has no `tokenizer.ggml.model` and `tokens`.
    public init?(metadata: [String: GGUFValue]) {
        func value(_ key: String) -> GGUFValue? { metadata["tokenizer.ggml." + key] }
        func flag(_ key: String) -> Bool? {
            if case .bool(let set) = value(key) { return set }
            return nil
        }
        guard let model = value("model")?.string, let tokens = value("tokens")?.stringArray else { return nil }
        self.init(
            architecture: metadata["general.architecture"]?.string, model: model, pre: value("pre")?.string,
            tokens: tokens,
            merges: value("merges")?.stringArray ?? [], tokenTypes: value("token_type")?.intArray,
            scores: value("scores")?.floatArray,
            bosTokenID: value("bos_token_id")?.int, eosTokenID: value("eos_token_id")?.int,
            unknownTokenID: value("unknown_token_id")?.int, paddingTokenID: value("padding_token_id")?.int,
            addBOS: flag("add_bos_token"), addEOS: flag("add_eos_token"),
            addSpacePrefix: flag("add_space_prefix")
        )
    }
}
