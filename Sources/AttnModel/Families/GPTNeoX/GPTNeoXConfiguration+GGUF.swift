import AttnCheckpoint

extension GPTNeoXConfiguration {
    /// The configuration of a llama.cpp `gptneox` GGUF file, from its
    /// `gptneox.*` keys, each range-checked; a missing required key throws
    /// naming it. The rotated count is `rope.dimension_count` as stored; the
    /// base `rope.freq_base`, else llama.cpp's 10,000.
    init(gguf: GGUFFile) throws {
        let file = gguf.url.path
        let hiddenSize = try gguf.integer("gptneox.embedding_length", in: ModelLimits.hiddenSize)
        let heads = try gguf.integer("gptneox.attention.head_count", in: ModelLimits.heads)
        guard case .bool(let parallel)? = gguf.metadata["gptneox.use_parallel_residual"] else {
            throw CheckpointError(file: file, key: "gptneox.use_parallel_residual", "missing or not a boolean")
        }
        let kvHeads = try gguf.integer("gptneox.attention.head_count_kv", in: ModelLimits.heads, default: heads)
        guard kvHeads == heads else {
            throw CheckpointError(
                file: file, key: "gptneox.attention.head_count_kv",
                "\(kvHeads) kv heads for \(heads) heads: GPT-NeoX has no grouped-query attention")
        }
        guard hiddenSize % heads == 0 else {
            throw CheckpointError(
                file: file, key: "gptneox.attention.head_count", "\(heads) heads do not divide \(hiddenSize)")
        }
        if let type = gguf.metadata["gptneox.rope.scaling.type"], type.string != "none" {
            throw CheckpointError(
                file: file, key: "gptneox.rope.scaling.type",
                "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
        }
        self.init(
            vocabularySize: try gguf.vocabularySize(), hiddenSize: hiddenSize,
            layers: try gguf.integer("gptneox.block_count", in: ModelLimits.layers), heads: heads,
            intermediateSize: try gguf.integer("gptneox.feed_forward_length", in: ModelLimits.intermediateSize),
            maxPositions: try gguf.integer("gptneox.context_length", in: ModelLimits.contextLength),
            layerNormEps: Float(try gguf.positive("gptneox.attention.layer_norm_epsilon")),
            useParallelResidual: parallel, attentionBias: gguf.tensors["blk.0.attn_qkv.bias"] != nil,
            rotaryEmbBase: try gguf.positive("gptneox.rope.freq_base", default: 10_000),
            rotaryDimensions: try gguf.integer("gptneox.rope.dimension_count", in: 0...(hiddenSize / heads)))
    }
}
