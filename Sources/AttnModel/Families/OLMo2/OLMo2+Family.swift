import AttnCheckpoint

/// OLMo 2's place in ``ModelRegistry``, and how llama.cpp's `olmo2` GGUF
/// files read under HF's names (Q/K rows as they are: its converter
/// permutes them for OLMo 1 only).
extension OLMo2: ModelFamily {
    static let name = "olmo2"
    static let modelTypes = ["olmo2"]
    static let ggufArchitectures = ["olmo2"]
    static let summary = "norms after attention and MLP only, q/k RMSNorm over the whole projection"

    /// The `olmo2.*` metadata as the family's configuration
    /// (``OLMo2Configuration/init(gguf:)``), and HF names for the tensors.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight", "bias"])
        return GGUFView(modelType: name, configuration: try OLMo2Configuration(gguf: gguf)) {
            (names.huggingFace($0).name, nil)
        }
    }

    /// llama.cpp's block tensor stems for `olmo2`.
    static let ggufBlockStems = [
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj", "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm",
        "post_attention_norm": "post_attention_layernorm", "post_ffw_norm": "post_feedforward_layernorm",
        "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
    ]
}
