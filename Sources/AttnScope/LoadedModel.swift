import AttnCheckpoint
import AttnModel
import AttnTokenizer
import Foundation

/// A checkpoint opened for analysis: the file, the runnable model and, when
/// the checkpoint carries one, its tokenizer.
public struct LoadedModel: Sendable {
    public let checkpoint: Checkpoint
    public let model: any TransformerModel
    public let tokenizer: Tokenizer?

    /// Opens `url` (an HF folder or a `.gguf` file) as `variant`.
    public init(url: URL, variant: VariantRequest = .auto) throws {
        checkpoint = try ModelRegistry.open(url)
        model = try ModelRegistry.load(checkpoint, variant: variant)
        tokenizer = try Self.tokenizer(for: checkpoint)
    }

    /// The tokenizer in the folder's `tokenizer.json`, or in the GGUF metadata.
    public static func tokenizer(for checkpoint: Checkpoint) throws -> Tokenizer? {
        if let url = checkpoint.tokenizerURL {
            return try Tokenizer.load(tokenizerJSON: url)
        }
        guard let metadata = checkpoint.gguf?.metadata, let model = metadata["tokenizer.ggml.model"]?.string,
              let tokens = metadata["tokenizer.ggml.tokens"]?.stringArray
        else { return nil }
        func value(_ key: String) -> GGUFValue? { metadata["tokenizer.ggml." + key] }
        func flag(_ key: String) -> Bool? {
            if case .bool(let b) = value(key) { return b }
            return nil
        }
        return try Tokenizer(gguf: GGUFTokenizerData(
            model: model, pre: value("pre")?.string, tokens: tokens, merges: value("merges")?.stringArray ?? [],
            tokenTypes: value("token_type")?.intArray, scores: value("scores")?.floatArray,
            bosTokenID: value("bos_token_id")?.int, eosTokenID: value("eos_token_id")?.int,
            unknownTokenID: value("unknown_token_id")?.int, addBOS: flag("add_bos_token"), addEOS: flag("add_eos_token")
        ))
    }

    /// What `metrics.json` records about this model.
    public var info: ModelInfo {
        let d = model.description
        return ModelInfo(
            path: checkpoint.url.path, format: checkpoint.format.rawValue, family: d.family, variant: d.variant,
            layers: d.layers, heads: d.heads, kvHeads: d.kvHeads, headDim: d.headDim, hiddenSize: d.hiddenSize,
            parameters: d.parameters, kvCacheBytesPerToken: d.kvCacheBytesPerToken(), kvCacheRatio: d.kvCacheRatio,
            slidingWindow: d.slidingWindow, slidingBlocks: d.slidingWindow.map { _ in d.slidingBlocks },
            causal: d.causal, maxPositions: d.maxPositions, tokenizer: tokenizer?.kind
        )
    }
}
