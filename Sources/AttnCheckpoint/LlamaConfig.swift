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
        func int(_ key: String) throws -> Int {
            guard let value = meta[key]?.int, value > 0 else {
                throw CheckpointError(file: file, key: key, "missing or not a positive integer")
            }
            return value
        }
        func double(_ key: String) throws -> Double {
            guard let value = meta[key]?.double else {
                throw CheckpointError(file: file, key: key, "missing or not a number")
            }
            return value
        }
        modelType = "llama"
        hiddenSize = try int("llama.embedding_length")
        intermediateSize = try int("llama.feed_forward_length")
        numHiddenLayers = try int("llama.block_count")
        numAttentionHeads = try int("llama.attention.head_count")
        numKeyValueHeads = meta["llama.attention.head_count_kv"] == nil
            ? numAttentionHeads : try int("llama.attention.head_count_kv")
        headDim = meta["llama.attention.key_length"] == nil
            ? hiddenSize / numAttentionHeads : try int("llama.attention.key_length")
        rmsNormEps = try double("llama.attention.layer_norm_rms_epsilon")
        ropeTheta = meta["llama.rope.freq_base"] == nil ? 10000 : try double("llama.rope.freq_base")
        maxPositionEmbeddings = try int("llama.context_length")
        guard let embedding = gguf.tensors["token_embd.weight"], embedding.shape.count == 2 else {
            throw CheckpointError(file: file, tensor: "token_embd.weight", "missing or not two-dimensional")
        }
        vocabSize = embedding.shape[0]
        tieWordEmbeddings = gguf.tensors["output.weight"] == nil
        bosTokenId = meta["tokenizer.ggml.bos_token_id"]?.int
        eosTokenId = meta["tokenizer.ggml.eos_token_id"]?.int
    }
}
