import AttnCheckpoint

/// OLMo 2's place in ``ModelRegistry``: HF folders.
extension OLMo2: ModelFamily {
    static let name = "olmo2"
    static let modelTypes = ["olmo2"]
    static let summary = "norms after attention and MLP only, q/k RMSNorm over the whole projection"
}
