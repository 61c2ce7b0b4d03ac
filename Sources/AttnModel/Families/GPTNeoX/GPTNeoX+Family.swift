import AttnCheckpoint

/// GPT-NeoX's place in ``ModelRegistry``, and how llama.cpp's `gptneox`
/// GGUF files read under HF's names (`gpt_neox.layers.N.…`).
extension GPTNeoX: ModelFamily {
    static let name = "gpt_neox"
    static let modelTypes = ["gpt_neox"]
    static let ggufArchitectures = ["gptneox"]
    static let summary =
        "Pythia: fused per-head q/k/v, partial rotary, parallel or sequential residual, LayerNorm with biases"

    /// The `gptneox.*` metadata as the family's configuration
    /// (``GPTNeoXConfiguration/init(gguf:)``), and HF names for the tensors. llama.cpp's converter reorders `attn_qkv` into `[Q | K | V]`
    /// blocks; ``FusedLayout/blocks`` reads it so.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight", "bias"])
        return GGUFView(modelType: name, configuration: try GPTNeoXConfiguration(gguf: gguf)) { name in
            switch name {
            case "token_embd.weight": return ("gpt_neox.embed_in.weight", nil)
            case "output_norm.weight", "output_norm.bias":
                return ("gpt_neox.final_layer_norm." + name.dropFirst(12), nil)
            case "output.weight": return ("embed_out.weight", nil)
            default:
                let mapped = names.huggingFace(name)
                return (mapped.stem == nil ? mapped.name : "gpt_neox." + mapped.name.dropFirst(6), nil)
            }
        }
    }

    /// llama.cpp's block tensor stems for `gptneox`.
    static let ggufBlockStems = [
        "attn_norm": "input_layernorm", "attn_qkv": "attention.query_key_value", "attn_output": "attention.dense",
        "ffn_norm": "post_attention_layernorm", "ffn_up": "mlp.dense_h_to_4h", "ffn_down": "mlp.dense_4h_to_h",
    ]
}
