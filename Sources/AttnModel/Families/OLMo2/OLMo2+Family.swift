import AttnCheckpoint
import Foundation

/// OLMo 2's place in ``ModelRegistry``, and how llama.cpp's `olmo2` GGUF
/// files read under HF's names (Q/K rows as they are: its converter
/// permutes them for OLMo 1 only).
extension OLMo2: ModelFamily {
    static let name = "olmo2"
    static let modelTypes = ["olmo2"]
    static let ggufArchitectures = ["olmo2"]
    static let summary = "norms after attention and MLP only, q/k RMSNorm over the whole projection"

    /// The `olmo2.*` metadata as an HF `config.json`, and HF names for the tensors.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight", "bias"])
        return GGUFView(config: try encoder.encode(try GGUFConfig(gguf: gguf))) { name in
            (names.huggingFace(name).name, nil)
        }
    }

    /// llama.cpp's block tensor stems for `olmo2`.
    static let ggufBlockStems = [
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj", "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm",
        "post_attention_norm": "post_attention_layernorm", "post_ffw_norm": "post_feedforward_layernorm",
        "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
    ]

    /// The HF `config.json` equivalent of an `olmo2` GGUF file's metadata.
    struct GGUFConfig: Encodable, Sendable {
        let modelType = "olmo2"
        let hiddenSize: Int
        let intermediateSize: Int
        let numHiddenLayers: Int
        let numAttentionHeads: Int
        let numKeyValueHeads: Int
        let maxPositionEmbeddings: Int
        let rmsNormEps: Double
        let ropeTheta: Double
        let attentionBias: Bool
        let vocabSize: Int

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type"
            case hiddenSize = "hidden_size"
            case intermediateSize = "intermediate_size"
            case numHiddenLayers = "num_hidden_layers"
            case numAttentionHeads = "num_attention_heads"
            case numKeyValueHeads = "num_key_value_heads"
            case maxPositionEmbeddings = "max_position_embeddings"
            case rmsNormEps = "rms_norm_eps"
            case ropeTheta = "rope_theta"
            case attentionBias = "attention_bias"
            case vocabSize = "vocab_size"
        }

        /// Reads the `olmo2.*` keys, each range-checked; a missing required key throws naming it.
        init(gguf: GGUFFile) throws {
            let file = gguf.url.path
            hiddenSize = try gguf.integer("olmo2.embedding_length", in: ModelLimits.hiddenSize)
            intermediateSize = try gguf.integer("olmo2.feed_forward_length", in: ModelLimits.intermediateSize)
            numHiddenLayers = try gguf.integer("olmo2.block_count", in: ModelLimits.layers)
            numAttentionHeads = try gguf.integer("olmo2.attention.head_count", in: ModelLimits.heads)
            numKeyValueHeads = try gguf.integer(
                "olmo2.attention.head_count_kv", in: ModelLimits.heads, default: numAttentionHeads)
            maxPositionEmbeddings = try gguf.integer("olmo2.context_length", in: ModelLimits.contextLength)
            rmsNormEps = try gguf.positive("olmo2.attention.layer_norm_rms_epsilon")
            ropeTheta = try gguf.positive("olmo2.rope.freq_base", default: 10_000)
            guard numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0 else {
                throw CheckpointError(
                    file: file, key: "olmo2.attention.head_count",
                    "\(numAttentionHeads) heads do not divide \(hiddenSize)")
            }
            let headSize = hiddenSize / numAttentionHeads
            for key in ["olmo2.attention.key_length", "olmo2.attention.value_length", "olmo2.rope.dimension_count"] {
                let value = try gguf.integer(key, in: ModelLimits.headDim, default: headSize)
                guard value == headSize else {
                    throw CheckpointError(
                        file: file, key: key,
                        "\(value) differs from the head size \(headSize) (hidden / heads), which HF's OLMo 2 uses")
                }
            }
            if let type = gguf.metadata["olmo2.rope.scaling.type"], type.string != "none" {
                throw CheckpointError(
                    file: file, key: "olmo2.rope.scaling.type",
                    "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
            }
            attentionBias = gguf.tensors["blk.0.attn_q.bias"] != nil
            vocabSize = try gguf.vocabularySize()
        }
    }
}
