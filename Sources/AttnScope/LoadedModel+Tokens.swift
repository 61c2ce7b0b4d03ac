import AttnModel
import AttnTokenizer
import Foundation

extension LoadedModel {
    /// The ids of `prompt` (tokenized under `bos`, cut to `maxTokens`),
    /// checked against the model's context. `index` is 0-based; errors name it 1-based.
    ///
    /// Tokenizing stops as soon as the ids are known to be enough: at `maxTokens`, or one past the
    /// model's context when there is no cut (that prompt is refused as too long either way).
    public func tokenIDs(for prompt: Prompt, index: Int, maxTokens: Int? = nil, bos: BOSPolicy = .auto) throws -> [Int]
    {
        var ids: [Int]
        if let given = prompt.tokenIDs {
            ids = given
        } else if let text = prompt.text {
            guard let tokenizer else {
                throw ScopeError.badInput(
                    "prompt \(index + 1): \(checkpoint.url.path) has no tokenizer; give \"token_ids\" instead of text")
            }
            let context = model.description.maxPositions
            do {
                ids = try bos.encode(
                    text, with: tokenizer, maxTokens: maxTokens ?? (context < Int.max ? context + 1 : nil))
            } catch let error as TokenizerError {
                throw ScopeError.badInput(
                    "prompt \(index + 1): \(checkpoint.tokenizerURL?.path ?? checkpoint.url.path): \(error.key): \(error.message)"
                )
            }
            if maxTokens == nil, ids.count > context {
                throw ScopeError.badInput(
                    "prompt \(index + 1): more than the model's context of \(context) tokens: cut it (--max-tokens) or shorten it"
                )
            }
        } else {
            throw ScopeError.badInput("prompt \(index + 1) has neither text nor token ids")
        }
        if let limit = maxTokens, ids.count > limit { ids = Array(ids.prefix(limit)) }
        do { try model.validate(tokens: ids) } catch let error as ModelError {
            throw ScopeError.badInput("prompt \(index + 1): \(error.message)")
        }
        return ids
    }

    /// A readable label per token id, for plots and `metrics.json`.
    public func labels(for ids: [Int]) -> [String] {
        ids.map { id in tokenizer?.label(id) ?? "#\(id)" }
    }
}
