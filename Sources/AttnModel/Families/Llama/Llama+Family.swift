import AttnCheckpoint
import Foundation

/// The Llama family's place in ``ModelRegistry`` and how llama.cpp's `llama`
/// GGUF files read under HF conventions.
extension Llama: ModelFamily {
    static let name = "llama"
    static let modelTypes = ["llama", "mistral", "qwen2", "qwen3", "phi3", "smollm", "smollm2"]
    static let ggufArchitectures = ["llama"]
    static let summary = "plain or llama3 RoPE, sliding windows, Qwen biases and q/k norms, Phi-3 fused projections; the ResFormer/SVFormer/NeuTRENO/DenseFormer/CLA variants"

    /// The `llama.*` metadata as an HF `config.json`, and HF names for the
    /// tensors, with llama.cpp's Q/K row permutation undone.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let config = try GGUFConfig(gguf: gguf)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let heads = config.numAttentionHeads, kvHeads = config.numKeyValueHeads
        return GGUFView(config: try encoder.encode(config)) { name in huggingFaceName(name, heads: heads, kvHeads: kvHeads) }
    }

    /// The HF name of a llama GGUF tensor and, for `attn_q` / `attn_k`, the
    /// head count whose row permutation must be undone. Names without an HF
    /// counterpart are kept as they are.
    static func huggingFaceName(_ name: String, heads: Int, kvHeads: Int) -> (name: String, unpermuteHeads: Int?) {
        switch name {
        case "token_embd.weight": return ("model.embed_tokens.weight", nil)
        case "output_norm.weight": return ("model.norm.weight", nil)
        case "output.weight": return ("lm_head.weight", nil)
        default: break
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), layer >= 0, parts[3] == "weight" else {
            return (name, nil)
        }
        let prefix = "model.layers.\(layer)."
        switch parts[2] {
        case "attn_q": return (prefix + "self_attn.q_proj.weight", heads)
        case "attn_k": return (prefix + "self_attn.k_proj.weight", kvHeads)
        case "attn_v": return (prefix + "self_attn.v_proj.weight", nil)
        case "attn_output": return (prefix + "self_attn.o_proj.weight", nil)
        case "ffn_gate": return (prefix + "mlp.gate_proj.weight", nil)
        case "ffn_up": return (prefix + "mlp.up_proj.weight", nil)
        case "ffn_down": return (prefix + "mlp.down_proj.weight", nil)
        case "attn_norm": return (prefix + "input_layernorm.weight", nil)
        case "ffn_norm": return (prefix + "post_attention_layernorm.weight", nil)
        default: return (name, nil)
        }
    }

    /// The Hugging Face `config.json` equivalent of a llama GGUF file's metadata.
    struct GGUFConfig: Encodable, Sendable {
        let modelType: String
        let hiddenSize: Int
        let intermediateSize: Int
        let numHiddenLayers: Int
        let numAttentionHeads: Int
        let numKeyValueHeads: Int
        let headDim: Int
        let rmsNormEps: Double
        let ropeTheta: Double
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
            case maxPositionEmbeddings = "max_position_embeddings"
            case vocabSize = "vocab_size"
            case tieWordEmbeddings = "tie_word_embeddings"
            case bosTokenId = "bos_token_id"
            case eosTokenId = "eos_token_id"
        }

        /// Reads the `llama.*` keys, each checked against ``ModelLimits``; a
        /// missing or out-of-range required key throws an error naming it.
        init(gguf: GGUFFile) throws {
            let meta = gguf.metadata
            modelType = "llama"
            hiddenSize = try gguf.integer("llama.embedding_length", in: ModelLimits.hiddenSize)
            intermediateSize = try gguf.integer("llama.feed_forward_length", in: ModelLimits.intermediateSize)
            numHiddenLayers = try gguf.integer("llama.block_count", in: ModelLimits.layers)
            numAttentionHeads = try gguf.integer("llama.attention.head_count", in: ModelLimits.heads)
            numKeyValueHeads = try gguf.integer("llama.attention.head_count_kv", in: ModelLimits.heads, default: numAttentionHeads)
            headDim = try gguf.integer("llama.attention.key_length", in: ModelLimits.headDim, default: hiddenSize / numAttentionHeads)
            rmsNormEps = try gguf.positive("llama.attention.layer_norm_rms_epsilon")
            ropeTheta = try gguf.positive("llama.rope.freq_base", default: 10000)
            maxPositionEmbeddings = try gguf.integer("llama.context_length", in: ModelLimits.contextLength)
            // RoPE scaling (linear, yarn, Llama 3's frequency factors) changes every rotation: refuse it.
            if let type = meta["llama.rope.scaling.type"], type.string != "none" {
                throw CheckpointError(file: gguf.url.path, key: "llama.rope.scaling.type", "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
            }
            if let factor = meta["llama.rope.scaling.factor"], factor.double != 1, factor.double != 0 {
                throw CheckpointError(file: gguf.url.path, key: "llama.rope.scaling.factor", "RoPE scaling by \(factor.double.map { "\($0)" } ?? "a non-number") is not supported (only plain RoPE)")
            }
            vocabSize = try gguf.vocabularySize()
            tieWordEmbeddings = gguf.tensors["output.weight"] == nil
            bosTokenId = meta["tokenizer.ggml.bos_token_id"]?.int
            eosTokenId = meta["tokenizer.ggml.eos_token_id"]?.int
        }
    }
}
