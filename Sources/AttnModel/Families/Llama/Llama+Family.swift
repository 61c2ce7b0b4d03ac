import AttnCheckpoint

/// The Llama family's place in ``ModelRegistry`` and how llama.cpp's `llama`
/// GGUF files read under HF conventions.
extension Llama: ModelFamily {
    static let name = "llama"
    static let modelTypes = LlamaDialect.allCases.map(\.rawValue)
    static let ggufArchitectures = ["llama", "qwen2", "qwen3", "phi3"]
    static let summary =
        "plain or llama3 RoPE, sliding windows, Qwen biases and q/k norms, Phi-3 fused projections; the ResFormer/SVFormer/NeuTRENO/DenseFormer/CLA variants"

    /// The `<arch>.*` metadata as the family's configuration (`model_type` is
    /// the architecture, ``LlamaConfiguration/init(gguf:)``), and HF names for the tensors. Only llama.cpp's `llama`
    /// files have their Q/K rows permuted (its converter permutes for
    /// `LlamaModel` alone), so only theirs are undone. Phi-3's `ffn_up`
    /// holds the fused gate and up rows.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let config = try LlamaConfiguration(gguf: gguf)
        let permuted = config.modelType == .llama ? (query: config.heads, kv: config.kvHeads ?? config.heads) : nil
        let stems =
            config.modelType.fusesProjections
            ? ggufBlockStems.merging(["ffn_up": "mlp.gate_up_proj"]) { $1 } : ggufBlockStems
        let names = GGUFTensorNames(blockStems: stems, kinds: ["weight", "bias"])
        return GGUFView(modelType: config.modelType.rawValue, configuration: config) { name in
            let mapped = names.huggingFace(name)
            guard mapped.kind == "weight" else { return (mapped.name, nil) }
            return (
                mapped.name, mapped.stem == "attn_q" ? permuted?.query : mapped.stem == "attn_k" ? permuted?.kv : nil
            )
        }
    }

    /// llama.cpp's block tensor stems for the Llama family's architectures.
    static let ggufBlockStems = [
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_qkv": "self_attn.qkv_proj", "attn_output": "self_attn.o_proj",
        "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm",
        "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
        "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
    ]
}
