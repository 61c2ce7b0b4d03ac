/// The `model_type`s the Llama family runs: one architecture whose
/// dialects differ in biases, sliding windows, head size, RoPE, Qwen3's q/k
/// norms and Phi-3's fused projections (see ``LlamaConfiguration``).
enum LlamaDialect: String, Codable, Sendable, CaseIterable {
    case llama, mistral, qwen2, qwen3, phi3, smollm, smollm2

    /// Qwen3 normalises each query and key head before RoPE.
    var normalisesHeads: Bool { self == .qwen3 }
    /// Phi-3 stores q/k/v and gate/up fused.
    var fusesProjections: Bool { self == .phi3 }
}
