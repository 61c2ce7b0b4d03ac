import AttnCheckpoint
import AttnModel
import AttnTokenizer
import Foundation

/// A checkpoint opened for analysis: the file, the runnable model and, when
/// the checkpoint carries one, its tokenizer.
public struct LoadedModel: Sendable {
    /// The checkpoint's files and tensors.
    public let checkpoint: Checkpoint
    /// The runnable model (its `description` is the shape).
    public let model: any TransformerModel
    /// The checkpoint's tokenizer; nil when it has none (give token ids).
    public let tokenizer: Tokenizer?

    /// Opens `url` (an HF folder or a `.gguf` file) as `variant`.
    public init(url: URL, variant: VariantRequest = .auto) throws {
        checkpoint = try ModelRegistry.open(url)
        model = try ModelRegistry.load(checkpoint, variant: variant)
        tokenizer = try Self.tokenizer(for: checkpoint)
    }

    /// The tokenizer in the folder's `tokenizer.json`, or in the GGUF metadata.
    package static func tokenizer(for checkpoint: Checkpoint) throws -> Tokenizer? {
        if let url = checkpoint.tokenizerURL {
            return try Tokenizer.load(tokenizerJSON: url)
        }
        guard let metadata = checkpoint.gguf?.metadata, let data = GGUFTokenizerData(metadata: metadata) else {
            return nil
        }
        return try Tokenizer(gguf: data)
    }

    /// What `metrics.json` records about this model.
    public var info: ModelInfo {
        ModelInfo(
            description: model.description, path: checkpoint.url.path, format: checkpoint.format.rawValue,
            tokenizer: tokenizer?.kind)
    }
}
