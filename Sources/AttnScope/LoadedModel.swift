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
        guard let metadata = checkpoint.gguf?.metadata, let data = GGUFTokenizerData(metadata: metadata) else { return nil }
        return try Tokenizer(gguf: data)
    }

    /// What `metrics.json` records about this model.
    public var info: ModelInfo {
        let d = model.description
        return ModelInfo(
            path: checkpoint.url.path, format: checkpoint.format.rawValue, family: d.family, variant: d.variant,
            layers: d.layers, heads: d.heads, kvHeads: d.kvHeads, headDim: d.headDim, hiddenSize: d.hiddenSize,
            parameters: d.parameters, kvCacheBytesPerToken: d.kvCacheBytesPerToken(), kvCacheRatio: d.kvCacheRatio,
            slidingWindow: d.slidingWindow, slidingBlocks: d.slidingWindow.map { _ in d.slidingBlocks },
            blockWindows: d.blockWindows, globalBlocks: d.blockWindows.indices.filter { d.blockWindows[$0] == nil },
            counterfactual: d.counterfactual, causal: d.causal, maxPositions: d.maxPositions, tokenizer: tokenizer?.kind
        )
    }
}
