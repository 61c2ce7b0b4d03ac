import AttnCheckpoint

/// A Llama-family `config.json` (also synthesized from GGUF metadata): the
/// `llama`, `mistral`, `qwen2` and SmolLM model types, which differ in their
/// projection biases and sliding windows (``biases``, ``slidingWindows(path:)``).
struct LlamaConfiguration: Decodable, Sendable {
    var modelType: String
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
    /// The sliding attention window `w` (query `i` sees keys `j` with `0 ≤ i − j < w`), nil for none.
    var slidingWindow: Int?
    /// Qwen2: whether `sliding_window` applies at all (HF default false).
    var useSlidingWindow: Bool?
    /// Qwen2: the first block that slides when `layer_types` is absent (HF default 28).
    var maxWindowLayers: Int?
    /// Qwen2: `full_attention` or `sliding_attention` for each block.
    var layerTypes: [String]?
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
        case modelType = "model_type"
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
        case useSlidingWindow = "use_sliding_window"
        case maxWindowLayers = "max_window_layers"
        case layerTypes = "layer_types"
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

    /// Which projections carry biases, as HF's class for `model_type` builds
    /// them: Qwen2 has q/k/v biases only, Mistral none, Llama what
    /// `attention_bias` (q/k/v and o) and `mlp_bias` say.
    var biases: (query: Bool, output: Bool, mlp: Bool) {
        switch modelType {
        case "qwen2": (true, false, false)
        case "mistral": (false, false, false)
        default: (attentionBias ?? false, attentionBias ?? false, mlpBias ?? false)
        }
    }

    /// Each block's sliding window (nil: plain causal attention), as HF's
    /// class for `model_type` applies it (transformers 5.23):
    /// - `mistral`: every block slides when `sliding_window` is set.
    /// - `qwen2`: `sliding_window` counts only when `use_sliding_window` is
    ///   true; the blocks marked `sliding_attention` in `layer_types` slide,
    ///   or without `layer_types` the blocks `l ≥ max_window_layers`.
    /// - `llama` and SmolLM: none; HF's Llama does not read `sliding_window`.
    ///
    /// A `layer_types` HF would not run (a sliding block without a window, an
    /// unknown type, a wrong count) is refused naming the key.
    func slidingWindows(path: String) throws -> [Int?] {
        switch modelType {
        case "mistral":
            return Array(repeating: slidingWindow, count: layers)
        case "qwen2":
            let window = useSlidingWindow == true ? slidingWindow : nil
            guard let layerTypes else {
                let first = maxWindowLayers ?? 28
                return (0..<layers).map { window != nil && $0 >= first ? window : nil }
            }
            guard layerTypes.count == layers else {
                throw ModelError(path: path, "config.json: layer_types has \(layerTypes.count) entries for \(layers) blocks")
            }
            return try layerTypes.map { type in
                switch type {
                case "full_attention": return nil
                case "sliding_attention":
                    guard let window else {
                        throw ModelError(path: path, "config.json: layer_types asks for sliding_attention but use_sliding_window is not true or sliding_window is null, which HF cannot run")
                    }
                    return window
                default:
                    throw ModelError(path: path, "config.json: layer_types entry '\(type)' is not supported (only full_attention and sliding_attention)")
                }
            }
        default:
            return Array(repeating: nil, count: layers)
        }
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
