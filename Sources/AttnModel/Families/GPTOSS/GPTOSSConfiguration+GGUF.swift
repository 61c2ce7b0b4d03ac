import AttnCheckpoint

extension GPTOSSConfiguration {
    /// The configuration of a llama.cpp `gpt-oss` GGUF file, from its
    /// `gpt-oss.*` keys, each range-checked; a missing required key throws
    /// naming it. What the metadata leaves out, llama.cpp fixes as HF's
    /// `GptOssConfig` defaults do (even blocks slide, α 1.702, clamp 7);
    /// YaRN's `truncate` is false, as HF's gpt-oss configs have it.
    init(gguf: GGUFFile) throws {
        let file = gguf.url.path
        func key(_ suffix: String) -> String { "gpt-oss." + suffix }
        let headDim = try gguf.integer(key("attention.key_length"), in: ModelLimits.headDim)
        let valueLength = try gguf.integer(key("attention.value_length"), in: ModelLimits.headDim, default: headDim)
        guard valueLength == headDim else {
            throw CheckpointError(
                file: file, key: key("attention.value_length"), "\(valueLength) differs from key_length \(headDim)")
        }
        let experts = try gguf.integer(key("expert_count"), in: 1...4096)
        let theta = try gguf.positive(key("rope.freq_base"), default: 10_000)
        let rope: Rope
        switch gguf.metadata[key("rope.scaling.type")]?.string {
        case nil, "none":
            rope = Rope(ropeType: "default", ropeTheta: theta)
        case "yarn":
            rope = Rope(
                ropeType: "yarn", ropeTheta: theta, factor: try gguf.positive(key("rope.scaling.factor")),
                betaFast: try gguf.positive(key("rope.scaling.yarn_beta_fast"), default: 32),
                betaSlow: try gguf.positive(key("rope.scaling.yarn_beta_slow"), default: 1), truncate: false,
                originalMaxPositions: try gguf.integer(
                    key("rope.scaling.original_context_length"), in: ModelLimits.contextLength))
        case let other?:
            throw CheckpointError(
                file: file, key: key("rope.scaling.type"), "RoPE scaling '\(other)' is not supported (only yarn)")
        }
        self.init(
            vocabularySize: try gguf.vocabularySize(),
            hiddenSize: try gguf.integer(key("embedding_length"), in: ModelLimits.hiddenSize),
            intermediateSize: try gguf.integer(key("expert_feed_forward_length"), in: ModelLimits.intermediateSize),
            layers: try gguf.integer(key("block_count"), in: ModelLimits.layers),
            heads: try gguf.integer(key("attention.head_count"), in: ModelLimits.heads),
            kvHeads: try gguf.integer(key("attention.head_count_kv"), in: ModelLimits.heads), headDim: headDim,
            experts: experts, expertsPerToken: try gguf.integer(key("expert_used_count"), in: 1...experts),
            maxPositions: try gguf.integer(key("context_length"), in: ModelLimits.contextLength),
            rmsNormEps: Float(try gguf.positive(key("attention.layer_norm_rms_epsilon"))),
            slidingWindow: try gguf.integer(
                key("attention.sliding_window"), in: 1...ModelLimits.contextLength.upperBound),
            attentionBias: gguf.tensors["blk.0.attn_q.bias"] != nil, ropeParameters: rope)
    }
}
