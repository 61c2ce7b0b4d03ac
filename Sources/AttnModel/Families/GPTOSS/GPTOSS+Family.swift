import AttnCheckpoint

/// GPT-OSS's place in ``ModelRegistry``: HF folders with BF16 (or F32) experts.
extension GPTOSS: ModelFamily {
    static let name = "gpt_oss"
    static let modelTypes = ["gpt_oss"]
    static let summary =
        "learned attention sinks, alternating sliding/full blocks, YaRN RoPE, top-k mixture of clamped-SwiGLU experts"
}
