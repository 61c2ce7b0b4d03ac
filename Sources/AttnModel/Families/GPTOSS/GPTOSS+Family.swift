import AttnCheckpoint
import Foundation

/// GPT-OSS's place in ``ModelRegistry``, and how llama.cpp's `gpt-oss` GGUF
/// files (MXFP4 experts, split gate and up) read under HF's names.
extension GPTOSS: ModelFamily {
    static let name = "gpt_oss"
    static let modelTypes = ["gpt_oss"]
    static let ggufArchitectures = ["gpt-oss"]
    static let summary =
        "learned attention sinks, alternating sliding/full blocks, YaRN RoPE, top-k mixture of clamped-SwiGLU experts"

    /// The `gpt-oss.*` metadata as an HF `config.json`, and HF names for the
    /// tensors; the experts keep llama.cpp's split layout under
    /// `mlp.experts.{gate,up,down}_proj` (``ExpertWeights/split(gate:up:down:)``).
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let names = GGUFTensorNames(blockStems: ggufBlockStems, kinds: ["weight", "bias"])
        return GGUFView(config: try encoder.encode(try GGUFConfig(gguf: gguf))) { name in
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

    /// The HF `config.json` equivalent of a `gpt-oss` GGUF file's metadata.
    /// llama.cpp fixes what the metadata leaves out as HF's `GptOssConfig`
    /// defaults do: even blocks slide, α 1.702, clamp 7; YaRN's `truncate`
    /// is written as HF's gpt-oss configs have it (false).
    struct GGUFConfig: Encodable, Sendable {
        let modelType = "gpt_oss"
        let vocabSize: Int
        let hiddenSize: Int
        let intermediateSize: Int
        let numHiddenLayers: Int
        let numAttentionHeads: Int
        let numKeyValueHeads: Int
        let headDim: Int
        let numLocalExperts: Int
        let numExpertsPerTok: Int
        let maxPositionEmbeddings: Int
        let rmsNormEps: Double
        let slidingWindow: Int
        let attentionBias: Bool
        let rope: Rope

        /// `rope_parameters`.
        struct Rope: Encodable, Sendable {
            let ropeType: String
            let ropeTheta: Double
            let factor: Double?
            let originalMaxPositionEmbeddings: Int?
            let betaFast: Double?
            let betaSlow: Double?
            let truncate = false

            enum CodingKeys: String, CodingKey {
                case factor, truncate
                case ropeType = "rope_type"
                case ropeTheta = "rope_theta"
                case originalMaxPositionEmbeddings = "original_max_position_embeddings"
                case betaFast = "beta_fast"
                case betaSlow = "beta_slow"
            }
        }

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type"
            case vocabSize = "vocab_size"
            case hiddenSize = "hidden_size"
            case intermediateSize = "intermediate_size"
            case numHiddenLayers = "num_hidden_layers"
            case numAttentionHeads = "num_attention_heads"
            case numKeyValueHeads = "num_key_value_heads"
            case headDim = "head_dim"
            case numLocalExperts = "num_local_experts"
            case numExpertsPerTok = "num_experts_per_tok"
            case maxPositionEmbeddings = "max_position_embeddings"
            case rmsNormEps = "rms_norm_eps"
            case slidingWindow = "sliding_window"
            case attentionBias = "attention_bias"
            case rope = "rope_parameters"
        }

        /// Reads the `gpt-oss.*` keys, each range-checked; a missing required key throws naming it.
        init(gguf: GGUFFile) throws {
            let file = gguf.url.path
            func key(_ suffix: String) -> String { "gpt-oss." + suffix }
            hiddenSize = try gguf.integer(key("embedding_length"), in: ModelLimits.hiddenSize)
            intermediateSize = try gguf.integer(key("expert_feed_forward_length"), in: ModelLimits.intermediateSize)
            numHiddenLayers = try gguf.integer(key("block_count"), in: ModelLimits.layers)
            numAttentionHeads = try gguf.integer(key("attention.head_count"), in: ModelLimits.heads)
            numKeyValueHeads = try gguf.integer(key("attention.head_count_kv"), in: ModelLimits.heads)
            headDim = try gguf.integer(key("attention.key_length"), in: ModelLimits.headDim)
            let valueLength = try gguf.integer(key("attention.value_length"), in: ModelLimits.headDim, default: headDim)
            guard valueLength == headDim else {
                throw CheckpointError(
                    file: file, key: key("attention.value_length"), "\(valueLength) differs from key_length \(headDim)")
            }
            numLocalExperts = try gguf.integer(key("expert_count"), in: 1...4096)
            numExpertsPerTok = try gguf.integer(key("expert_used_count"), in: 1...numLocalExperts)
            maxPositionEmbeddings = try gguf.integer(key("context_length"), in: ModelLimits.contextLength)
            rmsNormEps = try gguf.positive(key("attention.layer_norm_rms_epsilon"))
            slidingWindow = try gguf.integer(
                key("attention.sliding_window"), in: 1...ModelLimits.contextLength.upperBound)
            let theta = try gguf.positive(key("rope.freq_base"), default: 10_000)
            switch gguf.metadata[key("rope.scaling.type")]?.string {
            case nil, "none":
                rope = Rope(
                    ropeType: "default", ropeTheta: theta, factor: nil, originalMaxPositionEmbeddings: nil,
                    betaFast: nil, betaSlow: nil)
            case "yarn":
                rope = Rope(
                    ropeType: "yarn", ropeTheta: theta, factor: try gguf.positive(key("rope.scaling.factor")),
                    originalMaxPositionEmbeddings: try gguf.integer(
                        key("rope.scaling.original_context_length"), in: ModelLimits.contextLength),
                    betaFast: try gguf.positive(key("rope.scaling.yarn_beta_fast"), default: 32),
                    betaSlow: try gguf.positive(key("rope.scaling.yarn_beta_slow"), default: 1))
            case let other?:
                throw CheckpointError(
                    file: file, key: key("rope.scaling.type"), "RoPE scaling '\(other)' is not supported (only yarn)")
            }
            attentionBias = gguf.tensors["blk.0.attn_q.bias"] != nil
            vocabSize = try gguf.vocabularySize()
        }
    }
}
