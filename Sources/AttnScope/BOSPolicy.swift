import AttnTokenizer

/// Whether a sample starts with the tokenizer's BOS token (`--bos`).
public enum BOSPolicy: String, Sendable, CaseIterable {
    /// As the tokenizer file says (its `add_bos_token` or post-processor).
    case auto
    /// Special tokens added, and BOS first even where the file adds none.
    case on
    /// No special tokens at all.
    case off

    /// The ids of `text` under this policy.
    func encode(_ text: String, with tokenizer: Tokenizer) -> [Int] {
        switch self {
        case .auto:
            return tokenizer.encode(text)
        case .off:
            return tokenizer.encode(text, addSpecialTokens: false)
        case .on:
            let ids = tokenizer.encode(text, addSpecialTokens: true)
            guard let bos = tokenizer.bosTokenID, ids.first != bos else { return ids }
            return [bos] + ids
        }
    }
}
