import AttnCheckpoint
import Foundation

extension Tokenizer {
    /// Loads a Hugging Face `tokenizer.json` (byte-level BPE, SentencePiece-style BPE or WordPiece).
    ///
    /// Throws `CheckpointError` for an unreadable file, and `TokenizerError` naming the file and key for
    /// malformed JSON and for features this implementation does not reproduce exactly (rather than
    /// tokenizing differently).
    public static func load(tokenizerJSON url: URL) throws -> Tokenizer {
        try load(tokenizerJSON: InputFile.contents(of: url, limit: InputFile.Limit.tokenizer), file: url.path)
    }

    /// Builds a tokenizer from the bytes of a `tokenizer.json`; `file` names it in errors.
    public static func load(tokenizerJSON data: Data, file: String) throws -> Tokenizer {
        let root = try JSONParser.parse([UInt8](data), file: file)
        return try TokenizerJSONReader(file: file).tokenizer(root)
    }
}

/// Builds a `Tokenizer` from a parsed `tokenizer.json`; every error names the file and the JSON key.
struct TokenizerJSONReader {
    let file: String

    private func failure(_ key: String, _ message: String) -> TokenizerError {
        TokenizerError(file: file, key: key, message: message)
    }

    func required<T>(_ value: T?, _ key: String, _ what: String) throws -> T {
        guard let value else { throw failure(key, "missing or not \(what)") }
        return value
    }

    func tokenizer(_ root: JSONValue) throws -> Tokenizer {
        let modelJSON = try required(root["model"], "model", "an object")
        let added = try addedTokens(root["added_tokens"])
        let normalizer = try normalizer(root["normalizer"], key: "normalizer")
        let preTokenizer = try preTokenizer(root["pre_tokenizer"], key: "pre_tokenizer", first: true)
        let specials = try postProcessor(root["post_processor"], key: "post_processor")
        // Tokens marked normalized are matched in the normalized text, as their normalized content.
        let matchedRaw = added.filter { !$0.normalized || normalizer == nil }
        var matchedNormalized: [AddedTokens.Entry] = []
        if let normalizer {
            for token in added where token.normalized {
                var content = String.UnicodeScalarView()
                do {
                    content.append(
                        contentsOf: try normalizer.apply(Array(token.content.unicodeScalars), atStart: false))
                } catch {
                    throw failure(
                        "added_tokens",
                        "token \(token.content.debugDescription) grows past what the normalizer may make of it")
                }
                matchedNormalized.append(
                    AddedTokens.Entry(
                        content: String(content), id: token.id, lstrip: token.lstrip, rstrip: token.rstrip))
            }
        }

        var tokens: [String] = []
        func place(_ content: String, _ id: Int, _ key: String) throws {
            guard id >= 0, id < 10_000_000 else { throw failure(key, "token id \(id) out of range") }
            if id >= tokens.count { tokens.append(contentsOf: repeatElement("", count: id + 1 - tokens.count)) }
            tokens[id] = content
        }
        let vocab = try required(modelJSON["vocab"]?.members, "model.vocab", "an object")
        for (index, entry) in vocab.enumerated() {
            try place(
                entry.key, try required(entry.value.int, "model.vocab[\(index)]", "an integer id"),
                "model.vocab[\(index)]")
        }
        for (index, token) in added.enumerated() { try place(token.content, token.id, "added_tokens[\(index)].id") }

        let type = modelJSON["type"]?.string ?? (modelJSON["merges"] != nil ? "BPE" : "WordPiece")
        let model: Tokenizer.Model
        let kind: String
        switch type {
        case "BPE" where preTokenizer.isByteLevel:
            model = .bytePair(try bytePair(modelJSON, vocab: vocab))
            kind = "byte-level BPE"
        case "BPE":
            model = try characterPair(modelJSON, vocab: vocab)
            kind = "SentencePiece BPE"
        case "WordPiece":
            model = .wordPiece(try wordPiece(modelJSON, vocab: vocab))
            kind = "WordPiece"
        default:
            throw failure("model.type", "model type \(type.debugDescription) is not supported (BPE, WordPiece)")
        }
        return Tokenizer(
            kind: kind, bosTokenID: specials.prefix.first, eosTokenID: specials.suffix.last, tokens: tokens,
            addedIDs: Set(added.map(\.id)),
            added: AddedTokens(
                matchedRaw.map {
                    AddedTokens.Entry(content: $0.content, id: $0.id, lstrip: $0.lstrip, rstrip: $0.rstrip)
                }),
            normalizer: Self.joined(normalizer, preTokenizer.metaspace), preTokenizer: preTokenizer.stages,
            model: model,
            defaultSpecials: specials, requestedSpecials: specials, normalizedAdded: AddedTokens(matchedNormalized)
        )
    }

    /// The file's normalizer followed by the text-changing half of a `Metaspace` pre-tokenizer.
    private static func joined(_ normalizer: Normalizer?, _ metaspace: Normalizer?) -> Normalizer? {
        guard let metaspace else { return normalizer }
        guard let normalizer else { return metaspace }
        return .sequence([normalizer, metaspace])
    }

    // MARK: models

    private func bytePair(_ json: JSONValue, vocab: [(key: String, value: JSONValue)]) throws -> BytePairModel {
        if json["byte_fallback"]?.bool == true {
            throw failure("model.byte_fallback", "byte fallback is not supported with a ByteLevel pre-tokenizer")
        }
        try refuseUnsupportedBytePairOptions(json)
        var ids: [[UInt8]: Int32] = [:]
        for entry in vocab { ids[ByteLevelAlphabet.bytes(ofToken: entry.key)] = Int32(entry.value.int ?? 0) }
        return try BytePairModel(
            vocabulary: ids, merges: try mergePairs(json), ignoreMerges: json["ignore_merges"]?.bool ?? false,
            spelling: ByteLevelAlphabet.bytes(ofToken:), file: file, mergesKey: "model.merges")
    }

    /// SentencePiece-style BPE: characters, `<0xNN>` byte fallback and the unknown token (Llama 2, Mistral, Gemma).
    private func characterPair(_ json: JSONValue, vocab: [(key: String, value: JSONValue)]) throws -> Tokenizer.Model {
        try refuseUnsupportedBytePairOptions(json)
        var ids: [[UInt8]: Int32] = [:]
        for entry in vocab { ids[Array(entry.key.utf8)] = Int32(entry.value.int ?? 0) }
        var unknownID: Int32?
        if let unknown = json["unk_token"], !unknown.isNull {
            let name = try required(unknown.string, "model.unk_token", "a string")
            unknownID = try required(ids[Array(name.utf8)], "model.unk_token", "a token of the vocabulary")
        }
        let model = try BytePairModel(
            vocabulary: ids, merges: try mergePairs(json), ignoreMerges: json["ignore_merges"]?.bool ?? false,
            spelling: { Array($0.utf8) }, file: file, mergesKey: "model.merges")
        var spellings = [[UInt8]](repeating: [], count: Int(ids.values.max() ?? -1) + 1)
        for (bytes, id) in ids { spellings[Int(id)] = bytes }
        let alphabet = CharacterAlphabet(
            vocabulary: VocabularyIndex(spellings: spellings), byteFallback: json["byte_fallback"]?.bool ?? false,
            fuseUnknown: json["fuse_unk"]?.bool ?? false, unknownID: unknownID)
        return .characterPair(model, alphabet)
    }

    private func refuseUnsupportedBytePairOptions(_ json: JSONValue) throws {
        if json["dropout"].map({ !$0.isNull }) ?? false {
            throw failure("model.dropout", "BPE dropout is not supported")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] where !(json[key]?.string ?? "").isEmpty {
            throw failure("model.\(key)", "a non-empty value is not supported for BPE")
        }
    }

    /// The merge rules of `model.merges`, written `"a b"` or `["a", "b"]`, in rank order.
    private func mergePairs(_ json: JSONValue) throws -> [(left: String, right: String)] {
        var pairs: [(left: String, right: String)] = []
        for (index, merge) in try required(json["merges"]?.array, "model.merges", "an array").enumerated() {
            let key = "model.merges[\(index)]"
            if let text = merge.string {
                let parts = text.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw failure(key, "merge \(text.debugDescription) is not two tokens") }
                pairs.append((String(parts[0]), String(parts[1])))
            } else if let pair = merge.array, pair.count == 2, let left = pair[0].string, let right = pair[1].string {
                pairs.append((left, right))
            } else {
                throw failure(key, "merge is neither \"a b\" nor [\"a\", \"b\"]")
            }
        }
        return pairs
    }

    private func wordPiece(_ json: JSONValue, vocab: [(key: String, value: JSONValue)]) throws -> WordPieceModel {
        var ids: [[UInt8]: Int32] = [:]
        for entry in vocab { ids[Array(entry.key.utf8)] = Int32(entry.value.int ?? 0) }
        let unknown = try required(json["unk_token"]?.string, "model.unk_token", "a string")
        guard let unknownID = ids[Array(unknown.utf8)] else {
            throw failure("model.unk_token", "\(unknown.debugDescription) is not in the vocabulary")
        }
        return WordPieceModel(
            vocabulary: ids, unknownID: Int(unknownID),
            continuingPrefix: Array((json["continuing_subword_prefix"]?.string ?? "##").utf8),
            maxInputCharsPerWord: json["max_input_chars_per_word"]?.int ?? 100
        )
    }

    // MARK: added tokens

    struct AddedToken {
        var id: Int
        var content: String
        var normalized: Bool
        /// Whether a match also takes the whitespace on its left / right.
        var lstrip, rstrip: Bool
    }

    private func addedTokens(_ json: JSONValue?) throws -> [AddedToken] {
        guard let json, !json.isNull else { return [] }
        var out: [AddedToken] = []
        for (index, token) in try required(json.array, "added_tokens", "an array").enumerated() {
            let key = "added_tokens[\(index)]"
            for flag in ["single_word"] where token[flag]?.bool == true {
                throw failure("\(key).\(flag)", "added tokens with \(flag): true are not supported")
            }
            out.append(
                AddedToken(
                    id: try required(token["id"]?.int, "\(key).id", "an integer"),
                    content: try required(token["content"]?.string, "\(key).content", "a string"),
                    normalized: token["normalized"]?.bool ?? false,
                    lstrip: token["lstrip"]?.bool ?? false, rstrip: token["rstrip"]?.bool ?? false
                ))
        }
        return out
    }
}
