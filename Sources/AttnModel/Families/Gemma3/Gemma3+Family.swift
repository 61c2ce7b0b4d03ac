import AttnCheckpoint
import Foundation

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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight"])
        return GGUFView(config: try encoder.encode(try GGUFConfig(gguf: gguf))) { name in
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

    /// The HF `config.json` equivalent of a `gemma3` GGUF file's metadata.
    struct GGUFConfig: Encodable, Sendable {
        let modelType = "gemma3_text"
        let hiddenSize: Int
        let intermediateSize: Int
        let numHiddenLayers: Int
        let numAttentionHeads: Int
        let numKeyValueHeads: Int
        let headDim: Int
        let rmsNormEps: Double
        let ropeTheta: Double
        let ropeLocalBaseFrequency: Double = 10_000
        let slidingWindow: Int
        let slidingWindowPattern = 6
        let queryPreAttentionScalar = 256
        let maxPositionEmbeddings: Int
        let vocabSize: Int
        let tieWordEmbeddings: Bool
        let bosTokenId: Int?
        let eosTokenId: Int?

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type"
            case hiddenSize = "hidden_size"
            case intermediateSize = "intermediate_size"
            case numHiddenLayers = "num_hidden_layers"
            case numAttentionHeads = "num_attention_heads"
            case numKeyValueHeads = "num_key_value_heads"
            case headDim = "head_dim"
            case rmsNormEps = "rms_norm_eps"
            case ropeTheta = "rope_theta"
            case ropeLocalBaseFrequency = "rope_local_base_freq"
            case slidingWindow = "sliding_window"
            case slidingWindowPattern = "sliding_window_pattern"
            case queryPreAttentionScalar = "query_pre_attn_scalar"
            case maxPositionEmbeddings = "max_position_embeddings"
            case vocabSize = "vocab_size"
            case tieWordEmbeddings = "tie_word_embeddings"
            case bosTokenId = "bos_token_id"
            case eosTokenId = "eos_token_id"
        }

        /// Reads the `gemma3.*` keys, each checked against ``ModelLimits``.
        /// Keys HF's loader and llama.cpp fill in differently when missing are
        /// required; keys only llama.cpp reads are refused (see ``Gemma3``'s family notes).
        init(gguf: GGUFFile) throws {
            let meta = gguf.metadata, file = gguf.url.path
            hiddenSize = try gguf.integer("gemma3.embedding_length", in: ModelLimits.hiddenSize)
            intermediateSize = try gguf.integer("gemma3.feed_forward_length", in: ModelLimits.intermediateSize)
            numHiddenLayers = try gguf.integer("gemma3.block_count", in: ModelLimits.layers)
            numAttentionHeads = try gguf.integer("gemma3.attention.head_count", in: ModelLimits.heads)
            numKeyValueHeads = try gguf.integer("gemma3.attention.head_count_kv", in: ModelLimits.heads)
            headDim = try gguf.integer("gemma3.attention.key_length", in: ModelLimits.headDim)
            rmsNormEps = try gguf.positive("gemma3.attention.layer_norm_rms_epsilon")
            ropeTheta = try gguf.positive("gemma3.rope.freq_base")
            slidingWindow = try gguf.integer("gemma3.attention.sliding_window", in: ModelLimits.contextLength)
            maxPositionEmbeddings = try gguf.integer("gemma3.context_length", in: ModelLimits.contextLength)
            vocabSize = try gguf.vocabularySize()
            tieWordEmbeddings = gguf.tensors["output.weight"] == nil
            bosTokenId = meta["tokenizer.ggml.bos_token_id"]?.int
            eosTokenId = meta["tokenizer.ggml.eos_token_id"]?.int

            func refuse(_ key: String, _ why: String) -> CheckpointError { CheckpointError(file: file, key: key, why) }
            let valueLength = try gguf.integer(
                "gemma3.attention.value_length", in: ModelLimits.headDim, default: headDim)
            guard valueLength == headDim else {
                throw refuse(
                    "gemma3.attention.value_length",
                    "\(valueLength) differs from key_length \(headDim) (HF's Gemma 3 has one head size)")
            }
            guard headDim == queryPreAttentionScalar, numHiddenLayers != 62 else {
                throw refuse(
                    "gemma3.attention.key_length",
                    "\(headDim) with \(numHiddenLayers) blocks: HF's GGUF loader scales scores by 256^-0.5 and llama.cpp by \(numHiddenLayers == 62 ? "(hidden/heads)" : "key_length")^-0.5, so the file has no single meaning"
                )
            }
            if let type = meta["gemma3.rope.scaling.type"], type.string != "none" {
                throw refuse(
                    "gemma3.rope.scaling.type",
                    "RoPE scaling '\(type.string ?? "\(type)")' is not supported (HF's GGUF loader ignores it, llama.cpp applies it)"
                )
            }
            if let factor = meta["gemma3.rope.scaling.factor"], factor.double != 1, factor.double != 0 {
                throw refuse(
                    "gemma3.rope.scaling.factor",
                    "RoPE scaling by \(factor.double.map { "\($0)" } ?? "a non-number") is not supported (HF's GGUF loader ignores it, llama.cpp applies it)"
                )
            }
            if let base = meta["gemma3.rope.freq_base_swa"], base.double != ropeLocalBaseFrequency {
                throw refuse(
                    "gemma3.rope.freq_base_swa",
                    "\(base.double.map { "\($0)" } ?? "a non-number") is not supported (HF's GGUF loader ignores it and uses 10000)"
                )
            }
            for key in ["gemma3.attention.sliding_window_pattern", "gemma3.attn_logit_softcapping"]
            where meta[key] != nil {
                throw refuse(
                    key,
                    "is not supported (HF's GGUF loader ignores it, so HF and llama.cpp would run different models)")
            }
        }
    }
}
