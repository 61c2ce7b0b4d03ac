import AttnCheckpoint

/// GPT-NeoX's place in ``ModelRegistry``: HF folders (Pythia).
extension GPTNeoX: ModelFamily {
    static let name = "gpt_neox"
    static let modelTypes = ["gpt_neox"]
    static let summary = "Pythia: fused per-head q/k/v, partial rotary, parallel or sequential residual, LayerNorm with biases"
}
