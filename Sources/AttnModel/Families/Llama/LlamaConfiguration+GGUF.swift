import AttnCheckpoint

extension LlamaConfiguration {
    /// The configuration of a llama, qwen2, qwen3 or phi3 GGUF file, from the
    /// `<arch>.*` keys `transformers`' GGUF loader maps, each checked against
    /// ``ModelLimits``; a missing or out-of-range required key throws naming it.
    /// Phi-3's window comes from `phi3.attention.sliding_window`; q/k/v biases
    /// from the tensors' presence.
    init(gguf: GGUFFile) throws {
        let meta = gguf.metadata, file = gguf.url.path
        let arch = meta["general.architecture"]?.string ?? "llama"
        guard let dialect = LlamaDialect(rawValue: arch) else {
            throw CheckpointError(
                file: file, key: "general.architecture", "architecture '\(arch)' is not a Llama dialect")
        }
        func key(_ suffix: String) -> String { arch + "." + suffix }
        let hiddenSize = try gguf.integer(key("embedding_length"), in: ModelLimits.hiddenSize)
        let heads = try gguf.integer(key("attention.head_count"), in: ModelLimits.heads)
        let headDim = try gguf.integer(
            key("attention.key_length"), in: ModelLimits.headDim, default: hiddenSize / heads)
        // RoPE scaling (linear, yarn) changes every rotation: refuse it.
        // Llama 3's scaling is the rope_freqs.weight tensor, read by LlamaRope.
        if let type = meta[key("rope.scaling.type")], type.string != "none" {
            throw CheckpointError(
                file: file, key: key("rope.scaling.type"),
                "RoPE scaling '\(type.string ?? "\(type)")' is not supported (only plain RoPE)")
        }
        if let factor = meta[key("rope.scaling.factor")], factor.double != 1, factor.double != 0 {
            throw CheckpointError(
                file: file, key: key("rope.scaling.factor"),
                "RoPE scaling by \(factor.double.map { "\($0)" } ?? "a non-number") is not supported (only plain RoPE)")
        }
        let rotated = try gguf.integer(key("rope.dimension_count"), in: ModelLimits.headDim, default: headDim)
        guard rotated == headDim else {
            throw CheckpointError(
                file: file, key: key("rope.dimension_count"),
                "RoPE rotates \(rotated) of each head's \(headDim) dimensions: partial rotation is not supported")
        }
        self.init(
            modelType: dialect, hiddenSize: hiddenSize,
            intermediateSize: try gguf.integer(key("feed_forward_length"), in: ModelLimits.intermediateSize),
            layers: try gguf.integer(key("block_count"), in: ModelLimits.layers), heads: heads,
            kvHeads: try gguf.integer(key("attention.head_count_kv"), in: ModelLimits.heads, default: heads),
            headDim: headDim, rmsNormEps: Float(try gguf.positive(key("attention.layer_norm_rms_epsilon"))),
            ropeTheta: try gguf.positive(key("rope.freq_base"), default: 10000),
            maxPositions: try gguf.integer(key("context_length"), in: ModelLimits.contextLength),
            vocabularySize: try gguf.vocabularySize(), attentionBias: gguf.tensors["blk.0.attn_q.bias"] != nil,
            slidingWindow: dialect == .phi3 && meta[key("attention.sliding_window")] != nil
                ? try gguf.integer(key("attention.sliding_window"), in: 1...ModelLimits.contextLength.upperBound) : nil)
    }
}
