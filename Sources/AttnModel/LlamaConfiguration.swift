import AttnCheckpoint

/// A Llama-family `config.json` (also synthesized from GGUF metadata).
struct LlamaConfiguration: Decodable, Sendable {
    var hiddenSize: Int
    var intermediateSize: Int
    var layers: Int
    var heads: Int
    var kvHeads: Int?
    var headDim: Int?
    var rmsNormEps: Float
    /// transformers 4.x spelling.
    var ropeTheta: Double?
    /// transformers 5.x spelling: `{"rope_theta", "rope_type"}`.
    var ropeParameters: RopeParameters?
    var ropeScaling: RopeParameters?
    var maxPositions: Int
    var vocabularySize: Int
    var attentionBias: Bool?
    var mlpBias: Bool?
    var hiddenAct: String?
    /// Mistral's sliding attention window (keys `i − j < window` visible), nil for none.
    var slidingWindow: Int?
    /// The variant the checkpoint declares for itself, in `--variant` spelling.
    var variant: String?

    struct RopeParameters: Decodable, Sendable {
        var ropeTheta: Double?
        var ropeType: String?
        var type: String?
        enum CodingKeys: String, CodingKey {
            case type
            case ropeTheta = "rope_theta"
            case ropeType = "rope_type"
        }
    }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case layers = "num_hidden_layers"
        case heads = "num_attention_heads"
        case kvHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
        case maxPositions = "max_position_embeddings"
        case vocabularySize = "vocab_size"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case hiddenAct = "hidden_act"
        case slidingWindow = "sliding_window"
        case variant = "attnscope_variant"
    }

    var theta: Double { ropeParameters?.ropeTheta ?? ropeTheta ?? 10000 }

    /// Checks every size and number against ``ModelLimits`` before use.
    func validate(_ check: ConfigCheck) throws {
        try check.count("num_hidden_layers", layers, ModelLimits.layers)
        try check.count("num_attention_heads", heads, ModelLimits.heads)
        if let kvHeads { try check.count("num_key_value_heads", kvHeads, ModelLimits.heads) }
        if let headDim { try check.count("head_dim", headDim, ModelLimits.headDim) }
        try check.count("hidden_size", hiddenSize, ModelLimits.hiddenSize)
        try check.count("intermediate_size", intermediateSize, ModelLimits.intermediateSize)
        try check.count("vocab_size", vocabularySize, ModelLimits.vocabularySize)
        try check.count("max_position_embeddings", maxPositions, ModelLimits.contextLength)
        try check.nonNegative("rms_norm_eps", rmsNormEps)
        try check.positive("rope_theta", theta)
        if let slidingWindow { try check.count("sliding_window", slidingWindow, ModelLimits.contextLength) }
    }

    /// The RoPE type other than plain rotation, if the config asks for one.
    var unsupportedRopeType: String? {
        for parameters in [ropeParameters, ropeScaling].compactMap({ $0 }) {
            let type = parameters.ropeType ?? parameters.type ?? "default"
            if type != "default" { return type }
        }
        return nil
    }
}
