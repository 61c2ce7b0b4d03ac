import AttnTokenizer

/// Whether a sample starts with the tokenizer's BOS token (`--bos`).
public enum BOSPolicy: String, Sendable, CaseIterable {
    /// As the tokenizer file says (its `add_bos_token` or post-processor).
    case auto
    /// Special tokens added, and BOS first even where the file adds none.
    case on
    /// No special tokens at all.
    case off

    /// The ids of `text` under this policy; with `maxTokens`, tokenizing stops once the first
    /// `maxTokens` ids are known (the result may run past them: the caller cuts it).
    func encode(_ text: String, with tokenizer: Tokenizer, maxTokens: Int? = nil) throws -> [Int] {
        switch self {
        case .auto:
            return try tokenizer.encode(text, maxTokens: maxTokens)
        case .off:
            return try tokenizer.encode(text, addSpecialTokens: false, maxTokens: maxTokens)
        case .on:
            let ids = try tokenizer.encode(text, addSpecialTokens: true, maxTokens: maxTokens)
            guard let bos = tokenizer.bosTokenID, ids.first != bos else { return ids }
            return [bos] + ids
        }
    }
}
