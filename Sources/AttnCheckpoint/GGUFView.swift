import Foundation

/// How one architecture's GGUF file reads under Hugging Face conventions:
/// the family's configuration, read from the metadata, and the HF name of
/// every stored tensor.
///
/// A model family builds it from the file's metadata (see `AttnModel`'s
/// registry); `Checkpoint` then serves the tensors under the HF names and
/// hands the configuration back to the family as it was built (no
/// `config.json` is synthesized and decoded again).
public struct GGUFView: Sendable {
    /// The HF `model_type` the file runs as.
    public var modelType: String
    /// The family's configuration value, as its `config.json` decoder would give it.
    public var configuration: any Sendable
    /// The HF name of GGUF tensor `name` and, for llama.cpp's permuted Q/K
    /// rows, the head count whose permutation to undo. Tensors without an
    /// HF counterpart keep their GGUF name (and are refused as unused).
    public var rename: @Sendable (_ name: String) -> (name: String, unpermuteHeads: Int?)

    public init(
        modelType: String, configuration: any Sendable,
        rename: @escaping @Sendable (String) -> (name: String, unpermuteHeads: Int?)
    ) {
        self.modelType = modelType
        self.configuration = configuration
        self.rename = rename
    }
}
