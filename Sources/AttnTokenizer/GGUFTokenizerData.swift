/// The `tokenizer.ggml.*` metadata of a GGUF file, as plain values (the caller reads the file).
public struct GGUFTokenizerData: Sendable {
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
    /// `tokenizer.ggml.add_bos_token`.
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`.
    public var addEOS: Bool?

    /// Tokenizer metadata from already-read GGUF values.
    public init(model: String, pre: String? = nil, tokens: [String], merges: [String] = [], tokenTypes: [Int]? = nil,
                scores: [Float]? = nil, bosTokenID: Int? = nil, eosTokenID: Int? = nil, unknownTokenID: Int? = nil,
                addBOS: Bool? = nil, addEOS: Bool? = nil) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.merges = merges
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.unknownTokenID = unknownTokenID
        self.addBOS = addBOS
        self.addEOS = addEOS
    }
}
