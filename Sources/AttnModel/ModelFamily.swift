import AttnCheckpoint

/// One architecture attnscope runs: how its checkpoints are recognised, how
/// a GGUF file of it reads under Hugging Face conventions, and the model.
///
/// Everything a family needs lives in its folder under `Families/`: config
/// decoding (`config.json`, and GGUF metadata through ``ggufView(_:)``),
/// tensor names and weight fix-ups, and the forward pass. ``ModelRegistry``
/// lists the families; adding one is its folder plus one line there.
protocol ModelFamily: TransformerModel {
    /// The family name `inspect` and `metrics.json` show (`llama`).
    static var name: String { get }
    /// The `config.json` `model_type` values the family runs.
    static var modelTypes: [String] { get }
    /// The GGUF `general.architecture` values the family reads (none: HF folders only).
    static var ggufArchitectures: [String] { get }
    /// What the family covers, in a few words, for `--help` and the README.
    static var summary: String { get }
    /// The HF-style config and tensor names of a GGUF file of this family
    /// (called only for an architecture in ``ggufArchitectures``).
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView
    /// Loads the family's weights from `checkpoint` as `variant`, refusing
    /// config keys, tensors and variants it does not implement.
    init(checkpoint: Checkpoint, variant: VariantRequest) throws
}

extension ModelFamily {
    static var ggufArchitectures: [String] { [] }

    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        throw CheckpointError(
            file: gguf.url.path, key: "general.architecture", "the \(name) family reads no GGUF files")
    }
}

/// A family as ``ModelRegistry`` lists it: its names and its two entry
/// points, captured from the family type (plain values, not `any
/// ModelFamily.Type`, whose throwing calls crash Swift 6.3's SIL generation).
struct RegisteredFamily: Sendable {
    let name: String
    let modelTypes: [String]
    let ggufArchitectures: [String]
    let summary: String
    let ggufView: @Sendable (GGUFFile) throws -> GGUFView
    let load: @Sendable (Checkpoint, VariantRequest) throws -> any TransformerModel

    init<Family: ModelFamily>(_ family: Family.Type) {
        name = Family.name
        modelTypes = Family.modelTypes
        ggufArchitectures = Family.ggufArchitectures
        summary = Family.summary
        ggufView = { try Family.ggufView($0) }
        load = { try Family(checkpoint: $0, variant: $1) }
    }
}
