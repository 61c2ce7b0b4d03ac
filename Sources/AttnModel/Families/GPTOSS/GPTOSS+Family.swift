import AttnCheckpoint

/// GPT-OSS's place in ``ModelRegistry``, and how llama.cpp's `gpt-oss` GGUF
/// files (MXFP4 experts, split gate and up) read under HF's names.
extension GPTOSS: ModelFamily {
    static let name = "gpt_oss"
    static let modelTypes = ["gpt_oss"]
    static let ggufArchitectures = ["gpt-oss"]
    static let summary =
        "learned attention sinks, alternating sliding/full blocks, YaRN RoPE, top-k mixture of clamped-SwiGLU experts"

    /// The `gpt-oss.*` metadata as the family's configuration
    /// (``GPTOSSConfiguration/init(gguf:)``), and HF names for the tensors; the experts keep llama.cpp's split layout under
    /// `mlp.experts.{gate,up,down}_proj` (``ExpertWeights/split(gate:up:down:)``).
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight", "bias"])
        return GGUFView(modelType: name, configuration: try GPTOSSConfiguration(gguf: gguf)) { name in
            let mapped = names.huggingFace(name)
            switch (mapped.stem, mapped.kind) {
            case ("attn_sinks", "weight"), ("ffn_gate_exps", "weight"), ("ffn_up_exps", "weight"),
                ("ffn_down_exps", "weight"):
                return (String(mapped.name.dropLast(".weight".count)), nil)
            case ("ffn_gate_exps", "bias"), ("ffn_up_exps", "bias"), ("ffn_down_exps", "bias"):
                return (String(mapped.name.dropLast(".bias".count)) + "_bias", nil)
            default:
                return (mapped.name, nil)
            }
        }
    }

    /// llama.cpp's block tensor stems for `gpt-oss`.
    static let ggufBlockStems = [
        "attn_norm": "input_layernorm", "post_attention_norm": "post_attention_layernorm",
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj", "attn_sinks": "self_attn.sinks", "ffn_gate_inp": "mlp.router",
        "ffn_gate_exps": "mlp.experts.gate_proj", "ffn_up_exps": "mlp.experts.up_proj",
        "ffn_down_exps": "mlp.experts.down_proj",
    ]
}
