import AttnCheckpoint

/// A GPT-NeoX `config.json` (Pythia): the keys `GPTNeoXConfig` (transformers
/// 5.24) reads, in its 4.x spelling (`rotary_pct`, `rotary_emb_base`) and its
/// 5.x spelling (`rope_parameters`), each checked before it becomes a size.
struct GPTNeoXConfiguration: Decodable, Sendable {
    var vocabularySize: Int
    var hiddenSize: Int
    var layers: Int
    var heads: Int
    var intermediateSize: Int
    var maxPositions: Int
    var hiddenAct: String?
    var layerNormEps: Float?
    /// Whether attention and MLP read the same block input (HF default true).
    var useParallelResidual: Bool?
    /// Whether the attention projections carry biases (HF default true).
    var attentionBias: Bool?
    /// transformers 4.x: the fraction of each head RoPE rotates (default 0.25) and its base.
    var rotaryPct: Double?
    var rotaryEmbBase: Double?
    /// transformers 5.x's RoPE dictionary; `rope_scaling` (older) wins, as in HF.
    var ropeParameters: RopeParameters?
    var ropeScaling: RopeParameters?
    /// The values of each head RoPE rotates, when the file states the count
    /// itself (GGUF's `rope.dimension_count`) rather than a fraction.
    var rotaryDimensions: Int? = nil

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case layers = "num_hidden_layers"
        case heads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case maxPositions = "max_position_embeddings"
        case hiddenAct = "hidden_act"
        case layerNormEps = "layer_norm_eps"
        case useParallelResidual = "use_parallel_residual"
        case attentionBias = "attention_bias"
        case rotaryPct = "rotary_pct"
        case rotaryEmbBase = "rotary_emb_base"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
    }

    /// Checks every size and number against ``ModelLimits``.
    func validate(_ check: ConfigCheck) throws {
        try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
        try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
        try check.count(CodingKeys.layers, layers, ModelLimits.layers)
        try check.count(CodingKeys.heads, heads, ModelLimits.heads)
        try check.count(CodingKeys.intermediateSize, intermediateSize, ModelLimits.intermediateSize)
        try check.count(CodingKeys.maxPositions, maxPositions, ModelLimits.contextLength)
        if let layerNormEps { try check.nonNegative(CodingKeys.layerNormEps, layerNormEps) }
        guard hiddenSize % heads == 0 else {
            throw ModelError(
                path: check.path,
                "config.json: hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(heads)")
        }
    }

    /// The RoPE HF computes: `default` only, base `rope_theta` (else
    /// `rotary_emb_base`, else 10,000) over each head's first
    /// `int(head_size · partial_rotary_factor)` values (else `rotary_pct`, else 0.25).
    func rope(path: String) throws -> (theta: Double, rotated: Int) {
        let parameters = ropeScaling ?? ropeParameters
        let key = ropeScaling != nil ? "rope_scaling" : "rope_parameters"
        if let type = parameters?.resolvedType, type != "default" {
            throw ModelError(
                path: path, "config.json: \(key): rope type '\(type)' is not supported for gpt_neox (only default)")
        }
        let theta = parameters?.ropeTheta ?? rotaryEmbBase ?? 10_000
        let fraction = parameters?.partialRotaryFactor ?? rotaryPct ?? 0.25
        let check = ConfigCheck(path: path)
        try check.positive("rope_theta", theta)
        let headSize = hiddenSize / heads
        guard fraction.isFinite, fraction > 0, fraction <= 1 else {
            throw ModelError(path: path, "config.json: partial_rotary_factor \(fraction) is outside (0, 1]")
        }
        let rotated = rotaryDimensions ?? Int(Double(headSize) * fraction)
        guard rotated % 2 == 0 else {
            throw ModelError(
                path: path,
                "config.json: RoPE would rotate \(rotated) of \(headSize) values, an odd count HF cannot split in halves"
            )
        }
        return (theta, rotated)
    }
}

extension GPTNeoXConfiguration {
    /// `hidden_act`, HF's default `gelu` when absent.
    var hiddenActName: String { hiddenAct ?? "gelu" }
}
