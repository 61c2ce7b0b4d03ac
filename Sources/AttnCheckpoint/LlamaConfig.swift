import Foundation

/// The Hugging Face `config.json` equivalent of a llama GGUF file's metadata.
struct LlamaConfig: Encodable, Sendable {
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

    /// Reads the `llama.*` keys; a missing or non-numeric required key throws
    /// an error naming it.
    init(gguf: GGUFFile) throws {
        let meta = gguf.metadata
        let file = gguf.url.path
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = meta[key] else { throw CheckpointError(file: file, key: key, "missing") }
            guard let value = raw.int, range.contains(value) else {
                throw CheckpointError(file: file, key: key, "\(raw.int.map(String.init) ?? "a non-integer value") is not an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        func positive(_ key: String, default fallback: Double? = nil) throws -> Double {
            guard let raw = meta[key] else {
                if let fallback { return fallback }
                throw CheckpointError(file: file, key: key, "missing")
            }
            guard let value = raw.double, value.isFinite, value > 0 else {
                throw CheckpointError(file: file, key: key, "\(raw.double.map { "\($0)" } ?? "a non-number") is not a finite positive number")
            }
            return value
        }
        modelType = "llama"
        hiddenSize = try int("llama.embedding_length", ModelLimits.hiddenSize)
        intermediateSize = try int("llama.feed_forward_length", ModelLimits.intermediateSize)
        numHiddenLayers = try int("llama.block_count", ModelLimits.layers)
        numAttentionHeads = try int("llama.attention.head_count", ModelLimits.heads)
        numKeyValueHeads = meta["llama.attention.head_count_kv"] == nil
            ? numAttentionHeads : try int("llama.attention.head_count_kv", ModelLimits.heads)
        headDim = meta["llama.attention.key_length"] == nil
            ? hiddenSize / numAttentionHeads : try int("llama.attention.key_length", ModelLimits.headDim)
        rmsNormEps = try positive("llama.attention.layer_norm_rms_epsilon")
        ropeTheta = try positive("llama.rope.freq_base", default: 10000)
        maxPositionEmbeddings = try int("llama.context_length", ModelLimits.contextLength)
        // RoPE scaling (linear, yarn, Llama 3's frequency factors) changes every rotation: refuse it.
        if let type = meta["llama.rope.scaling.type"], type.string != "none" {
            throw CheckpointError(file: file, key: "llama.rope.scaling.type", "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
        }
        if let factor = meta["llama.rope.scaling.factor"], factor.double != 1, factor.double != 0 {
            throw CheckpointError(file: file, key: "llama.rope.scaling.factor", "RoPE scaling by \(factor.double.map { "\($0)" } ?? "a non-number") is not supported (only plain RoPE)")
        }
        guard let embedding = gguf.tensors["token_embd.weight"], embedding.shape.count == 2 else {
            throw CheckpointError(file: file, tensor: "token_embd.weight", "missing or not two-dimensional")
        }
        vocabSize = embedding.shape[0]
        tieWordEmbeddings = gguf.tensors["output.weight"] == nil
        bosTokenId = meta["tokenizer.ggml.bos_token_id"]?.int
        eosTokenId = meta["tokenizer.ggml.eos_token_id"]?.int
    }
}
