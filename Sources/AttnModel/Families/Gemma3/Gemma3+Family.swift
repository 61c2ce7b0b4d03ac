import AttnCheckpoint

/// The Gemma 3 family's place in ``ModelRegistry`` and how llama.cpp's
/// `gemma3` GGUF files read under HF conventions.
///
/// The GGUF reading matches HF's GGUF loader (transformers 5.23,
/// `modeling_gguf_pytorch_utils.py` and `integrations/ggml.py`) wherever the
/// file says something; where it is silent, HF fills in `Gemma3TextConfig`'s
/// defaults and llama.cpp (`llama-model.cpp`, `LLM_ARCH_GEMMA3`) its own, and
/// a file is read only where the two agree:
/// - sliding pattern: every 6th block global (HF `sliding_window_pattern` 6,
///   llama.cpp `set_swa_pattern(6)`);
/// - local RoPE base 10000 (HF `rope_local_base_freq`, llama.cpp
///   `rope_freq_base_train_swa`);
/// - score scale `256^-0.5` (HF `query_pre_attn_scalar` 256, llama.cpp
///   `1/√key_length`): files whose key length is not 256, or with 62 blocks
///   (llama.cpp's 27B rule `1/√(hidden/heads)`), are refused;
/// - keys HF's loader ignores but llama.cpp applies (RoPE scaling, a local
///   base other than 10000 or a sliding pattern in the metadata, attention
///   softcapping) are refused.
///
/// llama.cpp's converter does not permute Gemma 3's Q/K rows (only its
/// `LlamaModel` does), and it stores every RMSNorm weight as `w + 1`
/// (``storedNormOffset``).
extension Gemma3: ModelFamily {
    static let name = "gemma3"
    static let modelTypes = ["gemma3_text", "gemma3"]
    static let ggufArchitectures = ["gemma3"]
    static let summary =
        "Gemma 3 text (a multimodal checkpoint's language model): local/global blocks with their own window and RoPE, q/k norms, (1 + w) RMSNorms, GELU-tanh gate"

    /// What llama.cpp's converter added to every `*norm.weight` of a Gemma 3
    /// GGUF file; HF's GGUF loader (`Gemma2TensorProcessor`, used for
    /// `gemma3`) subtracts it in float32 before the model adds 1 back.
    static func storedNormOffset(_ format: CheckpointFormat) -> Float { format == .gguf ? 1 : 0 }

    /// The `gemma3.*` metadata as an HF `config.json`, and HF names for the tensors.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight"])
        return GGUFView(modelType: "gemma3_text", configuration: try Gemma3Configuration(gguf: gguf)) { name in
            (names.huggingFace(name).name, nil)
        }
    }

    /// llama.cpp's `gemma3` block tensor stems (gguf-py's `MODEL_ARCH.GEMMA3`
    /// map, reversed): its four norms per block, no biases.
    static let ggufBlockStems = [
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj", "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm",
        "attn_norm": "input_layernorm", "post_attention_norm": "post_attention_layernorm",
        "ffn_norm": "pre_feedforward_layernorm", "post_ffw_norm": "post_feedforward_layernorm",
        "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
    ]
}
