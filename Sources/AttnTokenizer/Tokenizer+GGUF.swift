extension Tokenizer {
    /// Pre-tokenizer names (`tokenizer.ggml.pre`) that split numbers one digit at a time and then apply the
    /// GPT-2 regex, as llama.cpp does for them.
    static let digitThenGPT2Pre: Set<String> = [
        "smollm", "starcoder", "refact", "codeshell", "exaone", "minerva-7b", "command-r",
    ]
    /// Pre-tokenizer names that use the Llama-3 split regex.
    static let llama3Pre: Set<String> = ["llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe"]
    /// Pre-tokenizer names that use the plain GPT-2 regex.
    static let gpt2Pre: Set<String> = ["default", "gpt-2", "gpt2"]

    /// A tokenizer from GGUF metadata: `tokenizer.ggml.model = gpt2` (byte-level BPE) or `llama` (SentencePiece
    /// BPE, see ``init(sentencePiece:)``), built as transformers' GGUF loader builds it.
    ///
    /// Control (type 3) and user-defined (type 4) tokens are matched whole before pre-tokenization. By default
    /// BOS/EOS are added as `add_bos_token`/`add_eos_token` say (absent means no for gpt2, BOS for llama);
    /// `encode(_:addSpecialTokens: true)` adds BOS (and EOS when `add_eos_token` is set).
    public init(gguf: GGUFTokenizerData) throws {
        let file = "GGUF metadata"
        if gguf.model == "llama" {
            try self.init(sentencePiece: gguf)
            return
        }
        guard gguf.model == "gpt2" else {
            throw TokenizerError(
                file: file, key: "tokenizer.ggml.model",
                message: "tokenizer model \(gguf.model.debugDescription) is not supported (gpt2, llama)")
        }
        let pre = gguf.pre ?? "default"
        let preTokenizer: PreTokenizer
        if Self.digitThenGPT2Pre.contains(pre) {
            preTokenizer = .sequence([.digits(individual: true), .gpt2])
        } else if Self.llama3Pre.contains(pre) {
            preTokenizer = .llama3
        } else if Self.gpt2Pre.contains(pre) {
            preTokenizer = .gpt2
        } else {
            throw TokenizerError(
                file: file, key: "tokenizer.ggml.pre", message: "pre-tokenizer \(pre.debugDescription) is not supported"
            )
        }
        if let types = gguf.tokenTypes, types.count != gguf.tokens.count {
            throw TokenizerError(
                file: file, key: "tokenizer.ggml.token_type",
                message: "\(types.count) entries for \(gguf.tokens.count) tokens")
        }
        for (key, id) in [("bos", gguf.bosTokenID), ("eos", gguf.eosTokenID)] {
            if let id, !gguf.tokens.indices.contains(id) {
                throw TokenizerError(
                    file: file, key: "tokenizer.ggml.\(key)_token_id", message: "id \(id) outside the vocabulary")
            }
        }

        var vocabulary: [[UInt8]: Int32] = [:]
        vocabulary.reserveCapacity(gguf.tokens.count)
        for (id, token) in gguf.tokens.enumerated() where vocabulary[ByteLevelAlphabet.bytes(ofToken: token)] == nil {
            vocabulary[ByteLevelAlphabet.bytes(ofToken: token)] = Int32(id)
        }
        var pairs: [(left: String, right: String)] = []
        pairs.reserveCapacity(gguf.merges.count)
        for (index, merge) in gguf.merges.enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizerError(
                    file: file, key: "tokenizer.ggml.merges[\(index)]",
                    message: "merge \(merge.debugDescription) is not two tokens")
            }
            pairs.append((String(parts[0]), String(parts[1])))
        }
        let model = try BytePairModel(
            vocabulary: vocabulary, merges: pairs, ignoreMerges: false,
            spelling: ByteLevelAlphabet.bytes(ofToken:), file: file, mergesKey: "tokenizer.ggml.merges")

        let addedIDs = (gguf.tokenTypes ?? []).indices.filter { [3, 4].contains(gguf.tokenTypes?[$0]) }
        let bos = gguf.bosTokenID.map { [$0] } ?? []
        let eos = gguf.addEOS == true ? gguf.eosTokenID.map { [$0] } ?? [] : []
        self.init(
            kind: "byte-level BPE", bosTokenID: gguf.bosTokenID, eosTokenID: gguf.eosTokenID, tokens: gguf.tokens,
            addedIDs: Set(addedIDs), added: AddedTokens(addedIDs.map { (gguf.tokens[$0], $0) }),
            normalizer: nil, preTokenizer: preTokenizer, model: .bytePair(model),
            defaultSpecials: (gguf.addBOS == true ? bos : [], eos), requestedSpecials: (bos, eos),
            normalizedAdded: .none
        )
    }
}
