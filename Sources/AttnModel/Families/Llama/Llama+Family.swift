import AttnCheckpoint
import Foundation

/// The Llama family's place in ``ModelRegistry`` and how llama.cpp's `llama`
/// GGUF files read under HF conventions.
extension Llama: ModelFamily {
    static let name = "llama"
    static let modelTypes = LlamaDialect.allCases.map(\.rawValue)
    static let ggufArchitectures = ["llama", "qwen2", "qwen3", "phi3"]
    static let summary =
        "plain or llama3 RoPE, sliding windows, Qwen biases and q/k norms, Phi-3 fused projections; the ResFormer/SVFormer/NeuTRENO/DenseFormer/CLA variants"

    /// The `<arch>.*` metadata as an HF `config.json` (`model_type` is the
    /// architecture), and HF names for the tensors. Only llama.cpp's `llama`
    /// files have their Q/K rows permuted (its converter permutes for
    /// `LlamaModel` alone), so only theirs are undone. Phi-3's `ffn_up`
    /// holds the fused gate and up rows.
    static func ggufView(_ gguf: GGUFFile) throws -> GGUFView {
        let config = try GGUFConfig(gguf: gguf)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let permuted = config.modelType == .llama ? (query: config.numAttentionHeads, kv: config.numKeyValueHeads) : nil
        let stems =
            config.modelType.fusesProjections
            ? ggufBlockStems.merging(["ffn_up": "mlp.gate_up_proj"]) { $1 } : ggufBlockStems
        let names = GGUFTensorNames(blockStems: stems, kinds: ["weight", "bias"])
        return GGUFView(config: try encoder.encode(config)) { name in
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

    /// The Hugging Face `config.json` equivalent of a llama, qwen2, qwen3 or
    /// phi3 GGUF file's metadata (the keys `transformers`' GGUF loader maps).
    struct GGUFConfig: Encodable, Sendable {
        let modelType: LlamaDialect
        /// Phi-3's window from `phi3.attention.sliding_window`; nil otherwise.
        let slidingWindow: Int?
        /// Set when the blocks store q/k/v biases (Llama and Qwen3 read it).
        let attentionBias: Bool
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
            case slidingWindow = "sliding_window"
            case attentionBias = "attention_bias"
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

        /// Reads the `<arch>.*` keys, each checked against ``ModelLimits``; a
        /// missing or out-of-range required key throws an error naming it.
        init(gguf: GGUFFile) throws {
            let meta = gguf.metadata
            let arch = meta["general.architecture"]?.string ?? "llama"
            guard let dialect = LlamaDialect(rawValue: arch) else {
                throw CheckpointError(
                    file: gguf.url.path, key: "general.architecture", "architecture '\(arch)' is not a Llama dialect")
            }
            func key(_ suffix: String) -> String { arch + "." + suffix }
            modelType = dialect
            hiddenSize = try gguf.integer(key("embedding_length"), in: ModelLimits.hiddenSize)
            intermediateSize = try gguf.integer(key("feed_forward_length"), in: ModelLimits.intermediateSize)
            numHiddenLayers = try gguf.integer(key("block_count"), in: ModelLimits.layers)
            numAttentionHeads = try gguf.integer(key("attention.head_count"), in: ModelLimits.heads)
            numKeyValueHeads = try gguf.integer(
                key("attention.head_count_kv"), in: ModelLimits.heads, default: numAttentionHeads)
            headDim = try gguf.integer(
                key("attention.key_length"), in: ModelLimits.headDim, default: hiddenSize / numAttentionHeads)
            rmsNormEps = try gguf.positive(key("attention.layer_norm_rms_epsilon"))
            ropeTheta = try gguf.positive(key("rope.freq_base"), default: 10000)
            maxPositionEmbeddings = try gguf.integer(key("context_length"), in: ModelLimits.contextLength)
            // RoPE scaling (linear, yarn) changes every rotation: refuse it.
            // Llama 3's scaling is the rope_freqs.weight tensor, read by LlamaRope.
            if let type = meta[key("rope.scaling.type")], type.string != "none" {
                throw CheckpointError(
                    file: gguf.url.path, key: key("rope.scaling.type"),
                    "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
            }
            if let factor = meta[key("rope.scaling.factor")], factor.double != 1, factor.double != 0 {
                throw CheckpointError(
                    file: gguf.url.path, key: key("rope.scaling.factor"),
                    "RoPE scaling by \(factor.double.map { "\($0)" } ?? "a non-number") is not supported (only plain RoPE)"
                )
            }
            let rotated = try gguf.integer(key("rope.dimension_count"), in: ModelLimits.headDim, default: headDim)
            guard rotated == headDim else {
                throw CheckpointError(
                    file: gguf.url.path, key: key("rope.dimension_count"),
                    "RoPE rotates \(rotated) of each head's \(headDim) dimensions: partial rotation is not supported")
            }
            slidingWindow =
                dialect == .phi3 && meta[key("attention.sliding_window")] != nil
                ? try gguf.integer(key("attention.sliding_window"), in: 1...ModelLimits.contextLength.upperBound) : nil
            attentionBias = gguf.tensors["blk.0.attn_q.bias"] != nil
            vocabSize = try gguf.vocabularySize()
            tieWordEmbeddings = gguf.tensors["output.weight"] == nil
            bosTokenId = meta["tokenizer.ggml.bos_token_id"]?.int
            eosTokenId = meta["tokenizer.ggml.eos_token_id"]?.int
        }
    }
}
