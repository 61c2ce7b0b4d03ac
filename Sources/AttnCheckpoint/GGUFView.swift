import Foundation

/// How one architecture's GGUF file reads under Hugging Face conventions:
/// the equivalent `config.json` and the HF name of every stored tensor.
///
/// A model family builds it from the file's metadata (see `AttnModel`'s
/// registry); `Checkpoint` then serves the tensors under the HF names.
public struct GGUFView: Sendable {
    /// An HF-style `config.json` synthesized from the metadata.
    public var config: Data
    /// The HF name of GGUF tensor `name` and, for llama.cpp's permuted Q/K
    /// rows, the head count whose permutation to undo. Tensors without an
    /// HF counterpart keep their GGUF name (and are refused as unused).
    public var rename: @Sendable (_ name: String) -> (name: String, unpermuteHeads: Int?)

    public init(config: Data, rename: @escaping @Sendable (String) -> (name: String, unpermuteHeads: Int?)) {
        self.config = config
        self.rename = rename
    }
}
