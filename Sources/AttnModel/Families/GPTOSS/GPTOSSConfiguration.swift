import AttnCheckpoint

/// A GPT-OSS `config.json`: the keys `GptOssConfig` (transformers 5.24) reads,
/// each checked before it becomes a size.
struct GPTOSSConfiguration: Decodable, Sendable {
    var vocabularySize: Int
    var hiddenSize: Int
    var intermediateSize: Int
    var layers: Int
    var heads: Int
    var kvHeads: Int?
    var headDim: Int?
    var experts: Int
    var expertsPerToken: Int
    var maxPositions: Int
    var rmsNormEps: Float?
    var slidingWindow: Int?
    var layerTypes: [String]?
    var attentionBias: Bool?
    var swigluAlpha: Float?
    var swigluLimit: Float?
    var hiddenAct: String?
    var ropeParameters: Rope?
    var ropeScaling: Rope?
    var ropeTheta: Double?
    /// HF's MXFP4 checkpoints say so here; their experts are `*_blocks` and `*_scales`.
    var quantizationConfig: Quantization?

    /// The RoPE dictionary, YaRN's keys included.
    struct Rope: Decodable, Sendable {
        var ropeType: String?
        var type: String?
        var ropeTheta: Double?
        var factor: Double?
        var betaFast: Double?
        var betaSlow: Double?
        var truncate: Bool?
        var originalMaxPositions: Int?
        var attentionFactor: Double?
        var mscale: Double?
        var mscaleAllDim: Double?
        var partialRotaryFactor: Double?

        enum CodingKeys: String, CodingKey {
            case type, factor, truncate, mscale
            case ropeType = "rope_type"
            case ropeTheta = "rope_theta"
            case betaFast = "beta_fast"
            case betaSlow = "beta_slow"
            case originalMaxPositions = "original_max_position_embeddings"
            case attentionFactor = "attention_factor"
            case mscaleAllDim = "mscale_all_dim"
            case partialRotaryFactor = "partial_rotary_factor"
        }
    }

    struct Quantization: Decodable, Sendable {
        var quantMethod: String?
        enum CodingKeys: String, CodingKey { case quantMethod = "quant_method" }
    }

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case layers = "num_hidden_layers"
        case heads = "num_attention_heads"
        case kvHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case experts = "num_local_experts"
        case expertsPerToken = "num_experts_per_tok"
        case maxPositions = "max_position_embeddings"
        case rmsNormEps = "rms_norm_eps"
        case slidingWindow = "sliding_window"
        case layerTypes = "layer_types"
        case attentionBias = "attention_bias"
        case swigluAlpha = "swiglu_alpha"
        case swigluLimit = "swiglu_limit"
        case hiddenAct = "hidden_act"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
        case ropeTheta = "rope_theta"
        case quantizationConfig = "quantization_config"
    }

    var resolvedHeadDim: Int { headDim ?? hiddenSize / heads }

    /// Checks every size and number against ``ModelLimits``, and that the pieces fit together.
    func validate(_ check: ConfigCheck) throws {
        try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
        try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
        try check.count(CodingKeys.intermediateSize, intermediateSize, ModelLimits.intermediateSize)
        try check.count(CodingKeys.layers, layers, ModelLimits.layers)
        try check.count(CodingKeys.heads, heads, ModelLimits.heads)
        if let kvHeads { try check.count(CodingKeys.kvHeads, kvHeads, ModelLimits.heads) }
        if let headDim { try check.count(CodingKeys.headDim, headDim, ModelLimits.headDim) }
        try check.count(CodingKeys.experts, experts, 1...4096)
        try check.count(CodingKeys.expertsPerToken, expertsPerToken, 1...experts)
        try check.count(CodingKeys.maxPositions, maxPositions, ModelLimits.contextLength)
        if let slidingWindow { try check.count(CodingKeys.slidingWindow, slidingWindow, ModelLimits.contextLength) }
        if let rmsNormEps { try check.nonNegative(CodingKeys.rmsNormEps, rmsNormEps) }
        if let swigluAlpha { try check.positive(CodingKeys.swigluAlpha, swigluAlpha) }
        if let swigluLimit { try check.positive(CodingKeys.swigluLimit, swigluLimit) }
        guard heads % (kvHeads ?? heads) == 0, resolvedHeadDim % 2 == 0 else {
            throw ModelError(
                path: check.path,
                "config.json: \(heads) heads, \(kvHeads ?? heads) kv heads, head size \(resolvedHeadDim) do not fit together"
            )
        }
        if let act = hiddenAct, act != "silu" {
            throw ModelError(
                path: check.path,
                "config.json: hidden_act '\(act)' is not supported for gpt_oss (its experts use the clamped SwiGLU)")
        }
        if let method = quantizationConfig?.quantMethod {
            throw ModelError(
                path: check.path,
                "config.json: quantization_config.quant_method '\(method)': HF's MXFP4 expert layout (*_blocks, *_scales) is not read; dequantize to BF16 first, or use llama.cpp's GGUF"
            )
        }
    }

    /// Each block's sliding window from `layer_types` (HF's default: even blocks slide).
    func windows(path: String) throws -> [Int?] {
        let types = layerTypes ?? (0..<layers).map { $0 % 2 == 0 ? "sliding_attention" : "full_attention" }
        return try LayerTypes.windows(
            types, layers: layers, window: slidingWindow, noWindow: "sliding_window is null, which HF cannot run",
            path: path)
    }

    /// The RoPE HF computes: YaRN (GPT-OSS's own) or plain; any other type is refused naming its key.
    func rope(path: String) throws -> (theta: Double, yarn: YarnRope?) {
        let key = ropeScaling != nil ? "rope_scaling" : "rope_parameters"
        let parameters = ropeScaling ?? ropeParameters
        let theta = parameters?.ropeTheta ?? ropeTheta ?? 10_000
        try ConfigCheck(path: path).positive("rope_theta", theta)
        if let fraction = parameters?.partialRotaryFactor, fraction != 1 {
            throw ModelError(
                path: path, "config.json: \(key): partial_rotary_factor \(fraction) is not supported for gpt_oss")
        }
        switch parameters?.ropeType ?? parameters?.type ?? "default" {
        case "default":
            return (theta, nil)
        case "yarn":
            guard let parameters, let original = parameters.originalMaxPositions, original > 0 else {
                throw ModelError(path: path, "config.json: \(key): yarn needs original_max_position_embeddings")
            }
            let factor = parameters.factor ?? Double(maxPositions) / Double(original)
            guard factor.isFinite, factor > 0 else {
                throw ModelError(
                    path: path, "config.json: \(key): yarn factor \(factor) is not a finite positive number")
            }
            let yarn = YarnRope(
                theta: theta, factor: factor, originalMaxPositions: original,
                betaFast: parameters.betaFast.flatMap { $0 == 0 ? nil : $0 } ?? 32,
                betaSlow: parameters.betaSlow.flatMap { $0 == 0 ? nil : $0 } ?? 1,
                truncate: parameters.truncate ?? true, attentionFactor: parameters.attentionFactor,
                mscale: parameters.mscale, mscaleAllDim: parameters.mscaleAllDim)
            return (theta, yarn)
        case let other:
            throw ModelError(
                path: path,
                "config.json: \(key): rope type '\(other)' is not supported for gpt_oss (only yarn and default)")
        }
    }
}
