import AttnCheckpoint
import Foundation

/// GPT-NeoX's place in ``ModelRegistry``, and how llama.cpp's `gptneox`
/// GGUF files read under HF's names (`gpt_neox.layers.N.…`).
extension GPTNeoX: ModelFamily {
    static let name = "gpt_neox"
    static let modelTypes = ["gpt_neox"]
    static let ggufArchitectures = ["gptneox"]
    static let summary =
        "Pythia: fused per-head q/k/v, partial rotary, parallel or sequential residual, LayerNorm with biases"

    /// The `gptneox.*` metadata as an HF `config.json`, and HF names for the
    /// tensors. llama.cpp's converter reorders `attn_qkv` into `[Q | K | V]`
    /// blocks; ``FusedLayout/blocks`` reads it so.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight", "bias"])
        return GGUFView(config: try encoder.encode(try GGUFConfig(gguf: gguf))) { name in
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

    /// The HF `config.json` equivalent of a `gptneox` GGUF file's metadata.
    struct GGUFConfig: Encodable, Sendable {
        let modelType = "gpt_neox"
        let hiddenSize: Int
        let intermediateSize: Int
        let numHiddenLayers: Int
        let numAttentionHeads: Int
        let maxPositionEmbeddings: Int
        let layerNormEps: Double
        let useParallelResidual: Bool
        let attentionBias: Bool
        let ropeTheta: Double
        /// `rope.dimension_count / head size`, nudged up until HF's `int(head size · factor)` gives the count back.
        let partialRotaryFactor: Double
        let vocabSize: Int

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type"
            case hiddenSize = "hidden_size"
            case intermediateSize = "intermediate_size"
            case numHiddenLayers = "num_hidden_layers"
            case numAttentionHeads = "num_attention_heads"
            case maxPositionEmbeddings = "max_position_embeddings"
            case layerNormEps = "layer_norm_eps"
            case useParallelResidual = "use_parallel_residual"
            case attentionBias = "attention_bias"
            case ropeParameters = "rope_parameters"
            case vocabSize = "vocab_size"
        }

        /// Writes the keys, RoPE as HF's `rope_parameters` dictionary.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(modelType, forKey: .modelType)
            try c.encode(hiddenSize, forKey: .hiddenSize)
            try c.encode(intermediateSize, forKey: .intermediateSize)
            try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
            try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
            try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
            try c.encode(layerNormEps, forKey: .layerNormEps)
            try c.encode(useParallelResidual, forKey: .useParallelResidual)
            try c.encode(attentionBias, forKey: .attentionBias)
            var rope = c.nestedContainer(keyedBy: RopeKeys.self, forKey: .ropeParameters)
            try rope.encode("default", forKey: .ropeType)
            try rope.encode(ropeTheta, forKey: .ropeTheta)
            try rope.encode(partialRotaryFactor, forKey: .partialRotaryFactor)
            try c.encode(vocabSize, forKey: .vocabSize)
        }

        private enum RopeKeys: String, CodingKey {
            case ropeType = "rope_type", ropeTheta = "rope_theta", partialRotaryFactor = "partial_rotary_factor"
        }

        /// Reads the `gptneox.*` keys, each range-checked; a missing required key throws naming it.
        init(gguf: GGUFFile) throws {
            let file = gguf.url.path
            hiddenSize = try gguf.integer("gptneox.embedding_length", in: ModelLimits.hiddenSize)
            intermediateSize = try gguf.integer("gptneox.feed_forward_length", in: ModelLimits.intermediateSize)
            numHiddenLayers = try gguf.integer("gptneox.block_count", in: ModelLimits.layers)
            numAttentionHeads = try gguf.integer("gptneox.attention.head_count", in: ModelLimits.heads)
            maxPositionEmbeddings = try gguf.integer("gptneox.context_length", in: ModelLimits.contextLength)
            layerNormEps = try gguf.positive("gptneox.attention.layer_norm_epsilon")
            guard case .bool(let parallel)? = gguf.metadata["gptneox.use_parallel_residual"] else {
                throw CheckpointError(file: file, key: "gptneox.use_parallel_residual", "missing or not a boolean")
            }
            useParallelResidual = parallel
            let kvHeads = try gguf.integer(
                "gptneox.attention.head_count_kv", in: ModelLimits.heads, default: numAttentionHeads)
            guard kvHeads == numAttentionHeads else {
                throw CheckpointError(
                    file: file, key: "gptneox.attention.head_count_kv",
                    "\(kvHeads) kv heads for \(numAttentionHeads) heads: GPT-NeoX has no grouped-query attention")
            }
            guard hiddenSize % numAttentionHeads == 0 else {
                throw CheckpointError(
                    file: file, key: "gptneox.attention.head_count",
                    "\(numAttentionHeads) heads do not divide \(hiddenSize)")
            }
            let headSize = hiddenSize / numAttentionHeads
            let rotated = try gguf.integer("gptneox.rope.dimension_count", in: 0...headSize)
            var factor = Double(rotated) / Double(headSize)
            while Int(Double(headSize) * factor) < rotated { factor = factor.nextUp }
            partialRotaryFactor = factor
            ropeTheta = try gguf.positive("gptneox.rope.freq_base", default: 10_000)
            if let type = gguf.metadata["gptneox.rope.scaling.type"], type.string != "none" {
                throw CheckpointError(
                    file: file, key: "gptneox.rope.scaling.type",
                    "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
            }
            attentionBias = gguf.tensors["blk.0.attn_qkv.bias"] != nil
            vocabSize = try gguf.vocabularySize()
        }
    }
}
