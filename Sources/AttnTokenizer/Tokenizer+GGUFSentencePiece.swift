extension Tokenizer {
    /// Architectures whose SentencePiece vocabulary transformers builds as a `GemmaTokenizer`.
    static let gemmaArchitectures: Set<String> = ["gemma", "gemma2", "gemma3"]
    /// Architectures whose SentencePiece vocabulary transformers builds another way (Phi-3: a `Prepend`
    /// normalizer instead of `Metaspace`), refused rather than approximated.
    static let otherSentencePieceArchitectures: Set<String> = ["phi3"]

    /// A SentencePiece BPE tokenizer from GGUF metadata with `tokenizer.ggml.model = llama`, as transformers'
    /// GGUF loader builds it.
    ///
    /// The file lists no merges: they are derived from the vocabulary (``BytePairModel/derivedMerges``). Characters
    /// missing from the vocabulary fall back to `<0xNN>` byte tokens, then to the unknown token (Gemma) or are
    /// dropped (others, whose transformers BPE model names no unknown token). Control tokens,
    /// user-defined tokens whose spelling is in the vocabulary, and the BOS/EOS/unknown/padding tokens are matched
    /// whole. BOS is added unless `add_bos_token` is false, EOS when `add_eos_token` is true.
    ///
    /// - Gemma (`general.architecture` gemma, gemma2, gemma3): merges ranked by position in the file, since Gemma's
    ///   scores do not follow its merge order; tokens made only of whitespace that contain a space are respelled as
    ///   that many `▁`; spaces become `▁` and the text is not split further; `<mask>` is special too (and
    ///   must exist, as must `unknown_token_id`).
    ///   `add_space_prefix = true` is refused (transformers ignores it, llama.cpp does not).
    /// - Other architectures (transformers' `LlamaTokenizer`): merges ranked by `tokenizer.ggml.scores`; a
    ///   `Metaspace` pre-tokenizer puts `▁` before the text's first segment and for every space, without
    ///   splitting. `add_space_prefix = false` is refused (transformers prepends anyway).
    ///
    /// Phi-3 vocabularies and a `tokenizer.ggml.pre` other than `default` are refused by name.
    init(sentencePiece gguf: GGUFTokenizerData) throws {
        let file = "GGUF metadata"
        func failure(_ key: String, _ message: String) -> TokenizerError {
            TokenizerError(file: file, key: key, message: message)
        }
        let architecture = gguf.architecture ?? "(none)"
        let gemma = Self.gemmaArchitectures.contains(architecture)
        if Self.otherSentencePieceArchitectures.contains(architecture) {
            throw failure(
                "general.architecture",
                "a SentencePiece (llama) vocabulary of \(architecture.debugDescription) is not supported")
        }
        if let prefix = gguf.addSpacePrefix, prefix == gemma {
            throw failure(
                "tokenizer.ggml.add_space_prefix",
                "\(prefix) is not supported for \(architecture.debugDescription) (transformers and llama.cpp disagree)")
        }
        if let pre = gguf.pre, pre != "default" {
            throw failure(
                "tokenizer.ggml.pre",
                "pre-tokenizer \(pre.debugDescription) is not supported with a SentencePiece vocabulary")
        }
        let count = gguf.tokens.count
        guard count > 0, count < Int(Int32.max) else { throw failure("tokenizer.ggml.tokens", "\(count) tokens") }
        let types = gguf.tokenTypes ?? []
        if gguf.tokenTypes != nil, types.count != count {
            throw failure("tokenizer.ggml.token_type", "\(types.count) entries for \(count) tokens")
        }
        let scores: [Double]
        if gemma {
            scores = (0..<count).map { -Double($0) }
        } else {
            guard let fileScores = gguf.scores, fileScores.count == count, fileScores.allSatisfy(\.isFinite) else {
                throw failure("tokenizer.ggml.scores", "missing, or not one finite score per token")
            }
            scores = fileScores.map(Double.init)
        }
        let specialIDs = [
            ("bos", gguf.bosTokenID), ("eos", gguf.eosTokenID), ("unknown", gguf.unknownTokenID),
            ("padding", gguf.paddingTokenID),
        ]
        for (key, id) in specialIDs {
            if let id, !gguf.tokens.indices.contains(id) {
                throw failure("tokenizer.ggml.\(key)_token_id", "id \(id) outside the vocabulary")
            }
        }

        // The last id of a repeated spelling wins, as in transformers' vocabulary dict.
        let vocabulary = VocabularyIndex(spellings: gguf.tokens.map { gemma ? Self.gemmaSpelling($0) : Array($0.utf8) })
        let merges = BytePairModel.derivedMerges(vocabulary: vocabulary, scores: scores)
        // Gemma's BPE model names the unknown token; the Llama one does not, so characters that have neither a
        // token nor all their byte tokens are dropped.
        guard !gemma || gguf.unknownTokenID != nil else {
            throw failure("tokenizer.ggml.unknown_token_id", "missing (Gemma's BPE model needs the unknown token)")
        }
        let model = BytePairModel(byteIDs: [], merges: merges, vocabulary: [:], ignoreMerges: false)
        let alphabet = CharacterAlphabet(
            vocabulary: vocabulary, byteFallback: true, fuseUnknown: true,
            unknownID: gemma ? gguf.unknownTokenID.flatMap { vocabulary[Array(gguf.tokens[$0].utf8)] } : nil)

        var added: [(content: String, id: Int)] = []
        func addWhole(_ token: String) {
            if let id = vocabulary[Array(token.utf8)] { added.append((token, Int(id))) }
        }
        for (id, type) in types.enumerated() where type == 3 || type == 4 {
            let token = gguf.tokens[id]
            guard vocabulary[Array(token.utf8)] != nil || type == 4 else {
                throw failure(
                    "tokenizer.ggml.tokens[\(id)]",
                    "control token \(token.debugDescription) is not in the vocabulary as spelled")
            }
            addWhole(token)  // a user-defined token respelled with ▁ is not added, as in transformers
        }
        for (_, id) in specialIDs { if let id { addWhole(gguf.tokens[id]) } }
        if gemma {
            guard vocabulary[Array("<mask>".utf8)] != nil else {
                throw failure(
                    "tokenizer.ggml.tokens", "no \"<mask>\" token (transformers would add one past the vocabulary)")
            }
            addWhole("<mask>")
        }
        func specialID(_ id: Int?) -> [Int] {
            id.flatMap { vocabulary[Array(gguf.tokens[$0].utf8)] }.map { [Int($0)] } ?? []
        }
        let bos = specialID(gguf.bosTokenID)
        let eos = gguf.addEOS == true ? specialID(gguf.eosTokenID) : []
        self.init(
            kind: "SentencePiece BPE", bosTokenID: bos.first, eosTokenID: gguf.eosTokenID, tokens: gguf.tokens,
            addedIDs: Set(added.map(\.id)), added: AddedTokens(added),
            normalizer: gemma
                ? .replace(pattern: [" "], content: ["\u{2581}"])
                : .metaspace(replacement: "\u{2581}", prepend: true, firstOnly: true),
            preTokenizer: gemma ? .literal([" "], behavior: .mergedWithPrevious) : .whole,
            model: .characterPair(model, alphabet),
            defaultSpecials: (gguf.addBOS == false ? [] : bos, eos), requestedSpecials: (bos, eos),
            normalizedAdded: .none
        )
    }

    /// The UTF-8 spelling transformers gives a Gemma token: one made only of whitespace (as Python's `isspace`
    /// sees it) that contains a space becomes as many `▁` as it has characters; any other is kept.
    static func gemmaSpelling(_ token: String) -> [UInt8] {
        let scalars = token.unicodeScalars
        guard scalars.contains(" "), scalars.allSatisfy(\.isPythonSpace) else { return Array(token.utf8) }
        return Array(String(repeating: "\u{2581}", count: scalars.count).utf8)
    }
}

extension Unicode.Scalar {
    /// Whether Python's `str.isspace` holds: bidirectional class WS, B or S, or general category Zs.
    var isPythonSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
