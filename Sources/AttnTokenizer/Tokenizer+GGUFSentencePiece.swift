extension Tokenizer {
    /// Architectures whose SentencePiece vocabulary transformers builds as a `GemmaTokenizer`.
    static let gemmaArchitectures: Set<String> = ["gemma", "gemma2", "gemma3"]

    /// A SentencePiece BPE tokenizer from GGUF metadata with `tokenizer.ggml.model = llama`, as transformers'
    /// GGUF loader builds it for Gemma (`general.architecture` gemma, gemma2, gemma3).
    ///
    /// The file lists no merges: they are derived from the vocabulary (``BytePairModel/derivedMerges``), ranked by
    /// position in the file since Gemma's scores do not follow its merge order. Tokens made only of whitespace that
    /// contain a space are respelled as that many `▁` (transformers looks them up that way). Spaces become `▁` and
    /// the text is not split further; characters missing from the vocabulary fall back to `<0xNN>` byte tokens.
    /// Control tokens are matched whole, user-defined tokens too when their spelling is in the vocabulary. BOS is
    /// added unless `add_bos_token` is false. Other architectures (transformers' `LlamaTokenizer`, Metaspace with
    /// merges ranked by score), `add_space_prefix = true` (which transformers ignores for Gemma while llama.cpp
    /// honours it) and a `tokenizer.ggml.pre` other than `default` are refused by name.
    init(sentencePiece gguf: GGUFTokenizerData) throws {
        let file = "GGUF metadata"
        func failure(_ key: String, _ message: String) -> TokenizerError {
            TokenizerError(file: file, key: key, message: message)
        }
        let architecture = gguf.architecture ?? "(none)"
        guard Self.gemmaArchitectures.contains(architecture) else {
            throw failure("general.architecture", "a SentencePiece (llama) vocabulary is supported for Gemma only, not \(architecture.debugDescription)")
        }
        if gguf.addSpacePrefix == true {
            throw failure("tokenizer.ggml.add_space_prefix", "true is not supported for Gemma (transformers and llama.cpp disagree)")
        }
        if let pre = gguf.pre, pre != "default" {
            throw failure("tokenizer.ggml.pre", "pre-tokenizer \(pre.debugDescription) is not supported with a SentencePiece vocabulary")
        }
        let count = gguf.tokens.count
        guard count > 0, count < Int(Int32.max) else { throw failure("tokenizer.ggml.tokens", "\(count) tokens") }
        let types = gguf.tokenTypes ?? []
        if gguf.tokenTypes != nil, types.count != count {
            throw failure("tokenizer.ggml.token_type", "\(types.count) entries for \(count) tokens")
        }
        for (key, id) in [("bos", gguf.bosTokenID), ("eos", gguf.eosTokenID), ("unknown", gguf.unknownTokenID)] {
            if let id, !gguf.tokens.indices.contains(id) {
                throw failure("tokenizer.ggml.\(key)_token_id", "id \(id) outside the vocabulary")
            }
        }

        let vocabulary = VocabularyIndex(spellings: gguf.tokens.map(Self.gemmaSpelling))  // the last id of a spelling wins
        let merges = BytePairModel.derivedMerges(vocabulary: vocabulary, scores: (0..<count).map { -Double($0) })
        let unknown = gguf.unknownTokenID.map { gguf.tokens[$0] } ?? "<unk>"
        guard let unknownID = vocabulary[Array(unknown.utf8)] else {
            throw failure("tokenizer.ggml.unknown_token_id", "unknown token \(unknown.debugDescription) is not in the vocabulary")
        }
        let model = BytePairModel(byteIDs: [], merges: merges, vocabulary: [:], ignoreMerges: false)
        let alphabet = CharacterAlphabet(vocabulary: vocabulary, byteFallback: true, unknownID: unknownID, fuseUnknown: true)

        var added: [(content: String, id: Int)] = []
        for (id, type) in types.enumerated() where type == 3 || type == 4 {
            let token = gguf.tokens[id]
            guard let vocabularyID = vocabulary[Array(token.utf8)] else {
                if type == 4 { continue }  // a respelled whitespace token: transformers does not add it
                throw failure("tokenizer.ggml.tokens[\(id)]", "control token \(token.debugDescription) is not in the vocabulary as spelled")
            }
            added.append((token, Int(vocabularyID)))
        }
        func specialID(_ id: Int?) -> [Int] { id.flatMap { vocabulary[Array(gguf.tokens[$0].utf8)] }.map { [Int($0)] } ?? [] }
        let bos = specialID(gguf.bosTokenID)
        let eos = gguf.addEOS == true ? specialID(gguf.eosTokenID) : []
        self.init(
            kind: "SentencePiece BPE", bosTokenID: bos.first, eosTokenID: gguf.eosTokenID, tokens: gguf.tokens,
            addedIDs: Set(added.map(\.id)), added: AddedTokens(added),
            normalizer: .replace(pattern: [" "], content: ["\u{2581}"]), preTokenizer: .literal([" "], behavior: .mergedWithPrevious),
            model: .characterPair(model, alphabet),
            defaultSpecials: (gguf.addBOS == false ? [] : bos, eos), requestedSpecials: (bos, eos)
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
