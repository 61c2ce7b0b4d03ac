import AttnCheckpoint
import Foundation

/// A checkpoint loaded for inference, ready to be probed.
public protocol TransformerModel: Sendable {
    /// Shapes, family and variant.
    var description: ModelDescription { get }

    /// Runs the forward pass over `tokens` (ids, position 0 first) and hands
    /// `observer` h[0], then every block's capture as the block finishes.
    /// Attention is handed over a block of query rows at a time; a block's
    /// whole `[H, T, T]` map is kept only when the observer asks for it.
    func run<Observer: ProbeObserver>(tokens: [Int], observer: inout Observer) throws
}

extension TransformerModel {
    /// Checks ids against the vocabulary, the length against the position
    /// encoding, and the activation buffers against physical memory, before any
    /// work is done.
    public func validate(tokens: [Int]) throws {
        let d = description
        guard !tokens.isEmpty else { throw ModelError(path: d.family, "no tokens to run") }
        guard tokens.count <= d.maxPositions else {
            throw ModelError(
                path: d.family,
                "\(tokens.count) tokens, more than the model's context of \(d.maxPositions): cut it to at most \(d.maxPositions) tokens (--max-tokens) or shorten it"
            )
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= d.vocabularySize }) {
            throw ModelError(path: d.family, "token id \(bad) is outside the vocabulary (0..<\(d.vocabularySize))")
        }
        let needed = d.activationBytes(tokens: tokens.count), available = ModelDescription.physicalMemory
        guard needed <= available else {
            let gib = { (bytes: Int) in String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
            throw ModelError(
                path: d.family,
                "\(tokens.count) tokens need about \(gib(needed)) for activations, more than this machine's \(gib(available)): cut the prompt (--max-tokens)"
            )
        }
    }
}

/// Opens the model a checkpoint holds, choosing the family from the config's
/// `model_type` and the variant from `variant` (or the checkpoint's own
/// description of it).
public enum ModelLoader {
    /// The families attnscope can run.
    public static let families = ["llama", "gpt2", "bert"]

    public static func load(_ checkpoint: Checkpoint, variant: VariantRequest = .auto) throws -> any TransformerModel {
        let probe = try WeightLoader.decodeConfig(ModelTypeProbe.self, from: checkpoint)
        switch probe.modelType {
        case "llama", "mistral", "qwen2", "qwen3", "phi3", "smollm", "smollm2":
            return try Llama(checkpoint: checkpoint, variant: variant)
        case "gpt2":
            try variant.requirePlain(family: "gpt2", path: checkpoint.url.path)
            return try GPT2(checkpoint: checkpoint)
        case "bert":
            try variant.requirePlain(family: "bert", path: checkpoint.url.path)
            return try BERT(checkpoint: checkpoint)
        default:
            throw ModelError(
                path: checkpoint.url.path,
                "config.json: model_type '\(probe.modelType)' is not supported (supported: \(families.joined(separator: ", ")))"
            )
        }
    }

    private struct ModelTypeProbe: Decodable {
        let modelType: String
        enum CodingKeys: String, CodingKey { case modelType = "model_type" }
    }
}
