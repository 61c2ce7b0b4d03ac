/// Text to the token ids a model was trained with: byte-level BPE, SentencePiece-style BPE (characters with byte
/// fallback) or WordPiece, loaded from a `tokenizer.json` or from GGUF metadata, matching Hugging Face
/// `tokenizers` id for id.
///
/// Encoding cuts the text around added/special tokens, normalizes each remaining segment, pre-tokenizes it
/// into ranges of unicode scalars, encodes every pre-token with the model, and finally adds the special
/// tokens the file (or the caller) asks for around the whole sequence. Truncation and padding settings of a
/// `tokenizer.json` are not applied: the caller chooses the length.
public struct Tokenizer: Sendable {
    /// The vocabulary model.
    enum Model: Sendable {
        /// Byte-level BPE: pre-tokens start as bytes.
        case bytePair(BytePairModel)
        /// SentencePiece-style BPE: pre-tokens start as characters, with byte fallback and an unknown token.
        case characterPair(BytePairModel, CharacterAlphabet)
        case wordPiece(WordPieceModel)
    }

    /// The algorithm, e.g. "byte-level BPE", "SentencePiece BPE" or "WordPiece".
    public let kind: String
    /// Number of ids: one more than the largest id in the vocabulary or the added tokens.
    public var vocabularySize: Int { tokens.count }
    /// The beginning-of-sequence token id, when the file names one.
    public let bosTokenID: Int?
    /// The end-of-sequence token id, when the file names one.
    public let eosTokenID: Int?

    /// The ids of added tokens (special tokens such as BOS, `[CLS]`, `<|im_start|>`).
    public var addedTokenIDs: Set<Int> { addedIDs }

    /// Raw vocabulary string per id ("" for ids the file does not define).
    let tokens: [String]
    /// Ids of added tokens, shown unchanged by `label`.
    let addedIDs: Set<Int>
    let added: AddedTokens
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer
    let model: Model
    /// Ids placed before and after the sequence when special tokens are added as the file says.
    let defaultSpecials: (prefix: [Int], suffix: [Int])
    /// Ids placed before and after the sequence when the caller asks for special tokens explicitly.
    let requestedSpecials: (prefix: [Int], suffix: [Int])
    /// Added tokens marked `normalized: true`, found in each segment after normalization.
    let normalizedAdded: AddedTokens

    /// The token ids of `text`. `addSpecialTokens`: nil adds what the file says (post-processor or
    /// `add_bos_token`/`add_eos_token`), true adds BOS/`[CLS]`… explicitly, false adds none.
    ///
    /// With `maxTokens`, encoding stops once that many ids are out (then adds the closing special
    /// tokens): the first `maxTokens` ids are those of the whole text, and a long text costs no more
    /// than the ids asked for. Throws when the normalizer would grow a segment past
    /// ``Normalizer/growthFactor`` times its length plus ``Normalizer/growthSlack`` scalars.
    public func encode(_ text: String, addSpecialTokens: Bool? = nil, maxTokens: Int? = nil) throws -> [Int] {
        let specials: (prefix: [Int], suffix: [Int]) =
            switch addSpecialTokens {
            case nil: defaultSpecials
            case true?: requestedSpecials
            case false?: ([], [])
            }
        let scalars = Array(text.unicodeScalars)
        var ids = specials.prefix
        ids.reserveCapacity(scalars.count / 3 + specials.prefix.count + specials.suffix.count)
        var bytes: [UInt8] = []
        let enough = maxTokens ?? Int.max
        parts: for part in added.split(scalars) {
            guard ids.count < enough else { break }
            switch part {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                var segment = Array(scalars[range])
                if let normalizer {
                    do { segment = try normalizer.apply(segment, atStart: range.lowerBound == 0) } catch {
                        throw TokenizerError(
                            file: "tokenizer", key: "normalizer",
                            message:
                                "grows a text segment of \(error.length) characters past \(error.limit) (\(Normalizer.growthFactor)× + \(Normalizer.growthSlack)), the most attnscope accepts"
                        )
                    }
                }
                for split in normalizedAdded.split(segment) {
                    guard ids.count < enough else { break parts }
                    guard case .text(let range) = split else {
                        if case .token(let id) = split { ids.append(id) }
                        continue
                    }
                    let text = range == segment.indices ? segment : Array(segment[range])
                    for piece in preTokenizer.split(text) {
                        guard ids.count < enough else { break parts }
                        switch model {
                        case .bytePair(let bpe):
                            bytes.removeAll(keepingCapacity: true)
                            for scalar in text[piece] { UTF8.encode(scalar) { bytes.append($0) } }
                            bpe.encode(bytes, into: &ids)
                        case .characterPair(let bpe, let alphabet):
                            bytes.removeAll(keepingCapacity: true)
                            for scalar in text[piece] { UTF8.encode(scalar) { bytes.append($0) } }
                            bpe.encode(text[piece], bytes: bytes, alphabet: alphabet, into: &ids)
                        case .wordPiece(let wordPiece):
                            wordPiece.encode(text[piece], into: &ids)
                        }
                    }
                }
            }
        }
        ids.append(contentsOf: specials.suffix)
        return ids
    }

    /// The raw vocabulary string of `id` (e.g. `Ġthe`, `##ing`), or nil outside the vocabulary.
    public func token(_ id: Int) -> String? {
        guard tokens.indices.contains(id), !tokens[id].isEmpty || addedIDs.contains(id) else { return nil }
        return tokens[id]
    }
}
