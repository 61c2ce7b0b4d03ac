import AttnCheckpoint

extension Gemma3Configuration {
    /// The configuration of a llama.cpp `gemma3` GGUF file, as HF's GGUF
    /// loader reads it: the `gemma3.*` keys, each range-checked, and what the
    /// metadata leaves out as HF and llama.cpp both assume it (score scale
    /// `256^-0.5`, every 6th block global, local RoPE base 10,000); where
    /// the two would run different models from the same file, the key is
    /// refused by name.
    init(gguf: GGUFFile) throws {
        let meta = gguf.metadata, file = gguf.url.path
        hiddenSize = try gguf.integer("gemma3.embedding_length", in: ModelLimits.hiddenSize)
        intermediateSize = try gguf.integer("gemma3.feed_forward_length", in: ModelLimits.intermediateSize)
        layers = try gguf.integer("gemma3.block_count", in: ModelLimits.layers)
        heads = try gguf.integer("gemma3.attention.head_count", in: ModelLimits.heads)
        kvHeads = try gguf.integer("gemma3.attention.head_count_kv", in: ModelLimits.heads)
        headDim = try gguf.integer("gemma3.attention.key_length", in: ModelLimits.headDim)
        rmsNormEps = Float(try gguf.positive("gemma3.attention.layer_norm_rms_epsilon"))
        ropeTheta = try gguf.positive("gemma3.rope.freq_base")
        slidingWindow = try gguf.integer("gemma3.attention.sliding_window", in: ModelLimits.contextLength)
        maxPositions = try gguf.integer("gemma3.context_length", in: ModelLimits.contextLength)
        vocabularySize = try gguf.vocabularySize()
        hiddenActivation = "gelu_pytorch_tanh"
        queryPreAttentionScalar = 256
        layerTypes = nil
        slidingWindowPattern = 6
        ropeParameters = nil
        ropeLocalBaseFrequency = 10_000
        ropeScaling = nil
        attentionBias = false
        attentionLogitSoftcapping = nil
        useBidirectionalAttention = false

        func refuse(_ key: String, _ why: String) -> CheckpointError { CheckpointError(file: file, key: key, why) }
        let valueLength = try gguf.integer(
            "gemma3.attention.value_length", in: ModelLimits.headDim, default: headDim)
        guard valueLength == headDim else {
            throw refuse(
                "gemma3.attention.value_length",
                "\(valueLength) differs from key_length \(headDim) (HF's Gemma 3 has one head size)")
        }
        guard Double(headDim) == queryPreAttentionScalar, layers != 62 else {
            throw refuse(
                "gemma3.attention.key_length",
                "\(headDim) with \(layers) blocks: HF's GGUF loader scales scores by 256^-0.5 and llama.cpp by \(layers == 62 ? "(hidden/heads)" : "key_length")^-0.5, so the file has no single meaning"
            )
        }
        if let type = meta["gemma3.rope.scaling.type"], type.string != "none" {
            throw refuse(
                "gemma3.rope.scaling.type",
                "RoPE scaling '\(type.string ?? "\(type)")' is not supported (HF's GGUF loader ignores it, llama.cpp applies it)"
            )
        }
        if let factor = meta["gemma3.rope.scaling.factor"], factor.double != 1, factor.double != 0 {
            throw refuse(
                "gemma3.rope.scaling.factor",
                "RoPE scaling by \(factor.double.map { "\($0)" } ?? "a non-number") is not supported (HF's GGUF loader ignores it, llama.cpp applies it)"
            )
        }
        if let base = meta["gemma3.rope.freq_base_swa"], base.double != ropeLocalBaseFrequency {
            throw refuse(
                "gemma3.rope.freq_base_swa",
                "\(base.double.map { "\($0)" } ?? "a non-number") is not supported (HF's GGUF loader ignores it and uses 10000)"
            )
        }
        for key in ["gemma3.attention.sliding_window_pattern", "gemma3.attn_logit_softcapping"]
        where meta[key] != nil {
            throw refuse(
                key,
                "is not supported (HF's GGUF loader ignores it, so HF and llama.cpp would run different models)")
        }
    }
}
