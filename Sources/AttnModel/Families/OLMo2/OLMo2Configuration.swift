import AttnCheckpoint

/// An OLMo 2 `config.json`: the keys `Olmo2Config` (transformers 5.24) reads,
/// each checked before it becomes a size.
struct OLMo2Configuration: Decodable, Sendable {
    var vocabularySize: Int
    var hiddenSize: Int
    var intermediateSize: Int
    var layers: Int
    var heads: Int
    var kvHeads: Int?
    var headDim: Int?
    var maxPositions: Int
    var rmsNormEps: Float?
    var hiddenAct: String?
    var attentionBias: Bool?
    /// transformers 4.x spelling of the RoPE base.
    var ropeTheta: Double?
    var ropeParameters: RopeParameters?
    var ropeScaling: RopeParameters?

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case layers = "num_hidden_layers"
        case heads = "num_attention_heads"
        case kvHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case maxPositions = "max_position_embeddings"
        case rmsNormEps = "rms_norm_eps"
        case hiddenAct = "hidden_act"
        case attentionBias = "attention_bias"
        case ropeTheta = "rope_theta"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
    }

    /// Checks every size and number against ``ModelLimits``, and that the heads fit together.
    func validate(_ check: ConfigCheck) throws {
        try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
        try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
        try check.count(CodingKeys.intermediateSize, intermediateSize, ModelLimits.intermediateSize)
        try check.count(CodingKeys.layers, layers, ModelLimits.layers)
        try check.count(CodingKeys.heads, heads, ModelLimits.heads)
        if let kvHeads { try check.count(CodingKeys.kvHeads, kvHeads, ModelLimits.heads) }
        if let headDim { try check.count(CodingKeys.headDim, headDim, ModelLimits.headDim) }
        try check.count(CodingKeys.maxPositions, maxPositions, ModelLimits.contextLength)
        if let rmsNormEps { try check.nonNegative(CodingKeys.rmsNormEps, rmsNormEps) }
        guard heads % (kvHeads ?? heads) == 0, resolvedHeadDim > 0, resolvedHeadDim % 2 == 0 else {
            throw ModelError(
                path: check.path,
                "config.json: \(heads) heads, \(kvHeads ?? heads) kv heads, head size \(resolvedHeadDim) do not fit together"
            )
        }
        if let act = hiddenAct, act != "silu" {
            throw ModelError(
                path: check.path, "config.json: hidden_act '\(act)' is not supported for olmo2 (expected silu)")
        }
    }

    /// `head_dim`, else hidden size / heads.
    var resolvedHeadDim: Int { headDim ?? hiddenSize / heads }

    /// The RoPE base: plain RoPE only (`rope_scaling` wins over `rope_parameters`, as in HF).
    func theta(path: String) throws -> Double {
        let parameters = ropeScaling ?? ropeParameters
        if let type = parameters?.resolvedType, type != "default" {
            let key = ropeScaling != nil ? "rope_scaling" : "rope_parameters"
            throw ModelError(
                path: path, "config.json: \(key): rope type '\(type)' is not supported for olmo2 (only default)")
        }
        let theta = parameters?.ropeTheta ?? ropeTheta ?? 10_000
        try ConfigCheck(path: path).positive("rope_theta", theta)
        return theta
    }
}
