import AttnCheckpoint

extension OLMo2Configuration {
    /// The configuration of a llama.cpp `olmo2` GGUF file, from its `olmo2.*`
    /// keys, each range-checked; a missing required key throws naming it. A
    /// head size other than hidden / heads (which HF's OLMo 2 uses) is refused.
    init(gguf: GGUFFile) throws {
        let file = gguf.url.path
        let hiddenSize = try gguf.integer("olmo2.embedding_length", in: ModelLimits.hiddenSize)
        let heads = try gguf.integer("olmo2.attention.head_count", in: ModelLimits.heads)
        guard hiddenSize % heads == 0 else {
            throw CheckpointError(
                file: file, key: "olmo2.attention.head_count", "\(heads) heads do not divide \(hiddenSize)")
        }
        let headSize = hiddenSize / heads
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
        self.init(
            vocabularySize: try gguf.vocabularySize(), hiddenSize: hiddenSize,
            intermediateSize: try gguf.integer("olmo2.feed_forward_length", in: ModelLimits.intermediateSize),
            layers: try gguf.integer("olmo2.block_count", in: ModelLimits.layers), heads: heads,
            kvHeads: try gguf.integer("olmo2.attention.head_count_kv", in: ModelLimits.heads, default: heads),
            maxPositions: try gguf.integer("olmo2.context_length", in: ModelLimits.contextLength),
            rmsNormEps: Float(try gguf.positive("olmo2.attention.layer_norm_rms_epsilon")),
            attentionBias: gguf.tensors["blk.0.attn_q.bias"] != nil,
            ropeTheta: try gguf.positive("olmo2.rope.freq_base", default: 10_000))
    }
}
