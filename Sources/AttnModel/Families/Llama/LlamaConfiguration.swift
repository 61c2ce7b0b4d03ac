import AttnCheckpoint

/// A Llama-family `config.json` (also synthesized from GGUF metadata): the
/// `llama`, `mistral`, `qwen2`, `qwen3`, `phi3` and SmolLM model types, which
/// differ in their projection biases, sliding windows, head size and RoPE
/// (``biases``, ``slidingWindows(path:)``, ``resolvedHeadDim``, ``rope(path:)``).
/// Qwen3's q/k norms and Phi-3's fused weights are read by ``Llama``.
struct LlamaConfiguration: Decodable, Sendable {
    var modelType: LlamaDialect
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
    /// transformers 4.x spelling of the RoPE dictionary; wins over `rope_parameters`, as in HF.
    var ropeScaling: RopeParameters?
    /// Phi-3: the fraction of each head RoPE rotates (also inside the RoPE dictionary).
    var partialRotaryFactor: Double?
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
        case partialRotaryFactor = "partial_rotary_factor"
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

    /// The RoPE dictionary HF uses: `rope_scaling` when set, else `rope_parameters`.
    private var ropeDictionary: (key: String, parameters: RopeParameters)? {
        if let ropeScaling { return ("rope_scaling", ropeScaling) }
        return ropeParameters.map { ("rope_parameters", $0) }
    }

    var theta: Double { ropeDictionary?.parameters.ropeTheta ?? ropeTheta ?? 10000 }

    /// Each head's size: `head_dim`, else Qwen3's HF default 128, else hidden size / heads.
    var resolvedHeadDim: Int { headDim ?? (modelType == .qwen3 ? 128 : hiddenSize / heads) }

    /// Checks every size and number against ``ModelLimits`` before use.
    func validate(_ check: ConfigCheck) throws {
        try check.count(CodingKeys.layers, layers, ModelLimits.layers)
        try check.count(CodingKeys.heads, heads, ModelLimits.heads)
        if let kvHeads { try check.count(CodingKeys.kvHeads, kvHeads, ModelLimits.heads) }
        if let headDim { try check.count(CodingKeys.headDim, headDim, ModelLimits.headDim) }
        try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
        try check.count(CodingKeys.intermediateSize, intermediateSize, ModelLimits.intermediateSize)
        try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
        try check.count(CodingKeys.maxPositions, maxPositions, ModelLimits.contextLength)
        try check.nonNegative(CodingKeys.rmsNormEps, rmsNormEps)
        try check.positive(CodingKeys.ropeTheta, theta)
        if let slidingWindow { try check.count(CodingKeys.slidingWindow, slidingWindow, ModelLimits.contextLength) }
    }

    /// Which projections carry biases, as HF's class for `model_type` builds
    /// them: Qwen2 has q/k/v biases only, Mistral and Phi-3 none, Qwen3
    /// q/k/v and o if `attention_bias` (never MLP), Llama what
    /// `attention_bias` (q/k/v and o) and `mlp_bias` say.
    var biases: (query: Bool, output: Bool, mlp: Bool) {
        switch modelType {
        case .qwen2: (true, false, false)
        case .qwen3: (attentionBias ?? false, attentionBias ?? false, false)
        case .mistral, .phi3: (false, false, false)
        case .llama, .smollm, .smollm2: (attentionBias ?? false, attentionBias ?? false, mlpBias ?? false)
        }
    }

    /// Each block's sliding window (nil: plain causal attention), as HF's
    /// class for `model_type` applies it (transformers 5.23):
    /// - `mistral`, `phi3`: every block slides when `sliding_window` is set.
    /// - `qwen2`, `qwen3`: `sliding_window` counts only when `use_sliding_window` is
    ///   true; the blocks marked `sliding_attention` in `layer_types` slide,
    ///   or without `layer_types` the blocks `l ≥ max_window_layers`.
    /// - `llama` and SmolLM: none; HF's Llama does not read `sliding_window`.
    ///
    /// A `layer_types` HF would not run (a sliding block without a window, an
    /// unknown type, a wrong count) is refused naming the key.
    func slidingWindows(path: String) throws -> [Int?] {
        switch modelType {
        case .mistral, .phi3:
            return Array(repeating: slidingWindow, count: layers)
        case .qwen2, .qwen3:
            let window = useSlidingWindow == true ? slidingWindow : nil
            guard let layerTypes else {
                let first = maxWindowLayers ?? 28
                return (0..<layers).map { window != nil && $0 >= first ? window : nil }
            }
            return try LayerTypes.windows(
                layerTypes, layers: layers, window: window,
                noWindow: "use_sliding_window is not true or sliding_window is null, which HF cannot run", path: path
            )
        case .llama, .smollm, .smollm2:
            return Array(repeating: nil, count: layers)
        }
    }

    /// The RoPE HF computes for this config (transformers 5.23,
    /// `modeling_rope_utils.py`): plain, or `llama3` with `factor`,
    /// `low_freq_factor`, `high_freq_factor` and `original_max_position_embeddings`
    /// (from the dictionary, else `max_position_embeddings`; HF's Llama ignores a top-level one).
    /// Other types and a partial rotation where HF would apply one (Phi-3,
    /// `llama3`) are refused naming the key.
    func rope(path: String) throws -> LlamaRope {
        var rope = LlamaRope(theta: theta, llama3: nil)
        guard let (key, parameters) = ropeDictionary else {
            try requireFullRotation(nil, path: path)
            return rope
        }
        func fail(_ message: String) -> ModelError { ModelError(path: path, "config.json: \(key): \(message)") }
        let type = parameters.resolvedType
        switch type {
        case "default":
            try requireFullRotation(parameters, path: path)
        case "llama3" where modelType != .phi3:  // HF's Phi-3 runs only default and longrope
            try requireFullRotation(parameters, path: path, always: true)
            guard let factor = parameters.factor, let low = parameters.lowFrequencyFactor,
                let high = parameters.highFrequencyFactor
            else {
                throw fail("rope type 'llama3' needs factor, low_freq_factor and high_freq_factor")
            }
            let original = parameters.originalMaxPositions ?? maxPositions
            guard factor.isFinite, factor > 0, low.isFinite, low > 0, high.isFinite, high > low, original > 0 else {
                throw fail(
                    "llama3 factor \(factor), low_freq_factor \(low), high_freq_factor \(high), original_max_position_embeddings \(original) must be positive with high_freq_factor > low_freq_factor"
                )
            }
            rope.llama3 = LlamaRope.Llama3Scaling(
                factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high, originalMaxPositions: original
            )
        default:
            throw fail(
                "rope type '\(type)' is not supported (\(modelType == .phi3 ? "phi3 runs only default" : "only default and llama3"))"
            )
        }
        return rope
    }

    /// Refuses a `partial_rotary_factor` other than 1 where HF's RoPE reads
    /// it (Phi-3, or `always` for `llama3`): partial rotation is not implemented.
    private func requireFullRotation(_ parameters: RopeParameters?, path: String, always: Bool = false) throws {
        guard always || modelType == .phi3 else { return }
        let fraction = parameters?.partialRotaryFactor ?? partialRotaryFactor ?? 1
        guard fraction == 1 else {
            throw ModelError(
                path: path,
                "config.json: partial_rotary_factor \(fraction) is not supported (only 1.0: every head dimension rotated)"
            )
        }
    }
}
