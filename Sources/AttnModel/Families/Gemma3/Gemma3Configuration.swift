import AttnCheckpoint
import AttnKernels

/// A Gemma 3 text `config.json` (`model_type` `gemma3_text`, also the
/// `text_config` of a `gemma3` config, and synthesized from GGUF metadata).
///
/// Missing keys take `Gemma3TextConfig`'s defaults (transformers 5.23), as
/// HF does when it loads the file. Keys HF reads but attnscope does not
/// compute (attention biases, attention softcapping, bidirectional
/// attention, RoPE types other than default and linear) are refused by
/// ``validate(_:)`` and ``ropes(path:)``.
struct Gemma3Configuration: Decodable, Sendable {
    var hiddenSize: Int
    var intermediateSize: Int
    var layers: Int
    var heads: Int
    var kvHeads: Int
    var headDim: Int
    var vocabularySize: Int
    var maxPositions: Int
    var rmsNormEps: Float
    var hiddenActivation: String
    /// Scores are multiplied by `query_pre_attn_scalar^-0.5` (not `head_dim^-0.5`).
    var queryPreAttentionScalar: Double
    /// The window `w` of sliding blocks: query `i` sees keys `j` with `0 ≤ i − j < w`.
    var slidingWindow: Int?
    /// `full_attention` or `sliding_attention` for each block; wins over `sliding_window_pattern`.
    var layerTypes: [String]?
    /// Legacy spelling: every `pattern`-th block (`(l + 1) % pattern == 0`) is global.
    var slidingWindowPattern: Int
    /// transformers 5.x spelling: one RoPE dictionary per layer type.
    var ropeParameters: [String: RopeParameters]?
    /// transformers 4.x spelling: the global blocks' base θ.
    var ropeTheta: Double?
    /// transformers 4.x spelling: the sliding blocks' base θ.
    var ropeLocalBaseFrequency: Double?
    /// transformers 4.x spelling: the global blocks' RoPE scaling (merged into their dictionary).
    var ropeScaling: RopeParameters?
    var attentionBias: Bool
    var attentionLogitSoftcapping: Double?
    var useBidirectionalAttention: Bool

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case layers = "num_hidden_layers"
        case heads = "num_attention_heads"
        case kvHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_position_embeddings"
        case rmsNormEps = "rms_norm_eps"
        case hiddenActivation = "hidden_activation"
        case queryPreAttentionScalar = "query_pre_attn_scalar"
        case slidingWindow = "sliding_window"
        case layerTypes = "layer_types"
        case slidingWindowPattern = "sliding_window_pattern"
        case ropeParameters = "rope_parameters"
        case ropeTheta = "rope_theta"
        case ropeLocalBaseFrequency = "rope_local_base_freq"
        case ropeScaling = "rope_scaling"
        case attentionBias = "attention_bias"
        case attentionLogitSoftcapping = "attn_logit_softcapping"
        case useBidirectionalAttention = "use_bidirectional_attention"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 2304
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? 9216
        layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? 26
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? 8
        kvHeads = try c.decodeIfPresent(Int.self, forKey: .kvHeads) ?? 4
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim) ?? 256
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? 262_208
        maxPositions = try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? 131_072
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu_pytorch_tanh"
        queryPreAttentionScalar = try c.decodeIfPresent(Double.self, forKey: .queryPreAttentionScalar) ?? 256
        // `sliding_window: null` is kept as null; a missing key takes HF's 4096.
        slidingWindow = c.contains(.slidingWindow) ? try c.decodeIfPresent(Int.self, forKey: .slidingWindow) : 4096
        layerTypes = try c.decodeIfPresent([String].self, forKey: .layerTypes)
        slidingWindowPattern = try c.decodeIfPresent(Int.self, forKey: .slidingWindowPattern) ?? 6
        ropeParameters = try c.decodeIfPresent([String: RopeParameters].self, forKey: .ropeParameters)
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        ropeLocalBaseFrequency = try c.decodeIfPresent(Double.self, forKey: .ropeLocalBaseFrequency)
        ropeScaling = try c.decodeIfPresent(RopeParameters.self, forKey: .ropeScaling)
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        attentionLogitSoftcapping = try c.decodeIfPresent(Double.self, forKey: .attentionLogitSoftcapping)
        useBidirectionalAttention = try c.decodeIfPresent(Bool.self, forKey: .useBidirectionalAttention) ?? false
    }

    /// Checks every size and number against ``ModelLimits`` and refuses what
    /// HF would compute differently from attnscope, naming the key.
    func validate(_ check: ConfigCheck) throws {
        try check.count(CodingKeys.layers, layers, ModelLimits.layers)
        try check.count(CodingKeys.heads, heads, ModelLimits.heads)
        try check.count(CodingKeys.kvHeads, kvHeads, ModelLimits.heads)
        try check.count(CodingKeys.headDim, headDim, ModelLimits.headDim)
        try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
        try check.count(CodingKeys.intermediateSize, intermediateSize, ModelLimits.intermediateSize)
        try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
        try check.count(CodingKeys.maxPositions, maxPositions, ModelLimits.contextLength)
        try check.nonNegative(CodingKeys.rmsNormEps, rmsNormEps)
        try check.positive(CodingKeys.queryPreAttentionScalar, queryPreAttentionScalar)
        try check.count(CodingKeys.slidingWindowPattern, slidingWindowPattern, 1...ModelLimits.layers.upperBound)
        if let slidingWindow { try check.count(CodingKeys.slidingWindow, slidingWindow, ModelLimits.contextLength) }
        let path = check.path
        guard heads % kvHeads == 0, headDim % 2 == 0 else {
            throw ModelError(
                path: path, "config.json: \(heads) heads, \(kvHeads) kv heads, head size \(headDim) do not fit together"
            )
        }
        guard hiddenActivation == "gelu_pytorch_tanh" else {
            throw ModelError(
                path: path,
                "config.json: hidden_activation '\(hiddenActivation)' is not supported for gemma3 (expected gelu_pytorch_tanh)"
            )
        }
        guard !attentionBias else {
            throw ModelError(
                path: path,
                "config.json: attention_bias true is not supported for gemma3 (Gemma 3 projections have no biases)")
        }
        if let cap = attentionLogitSoftcapping {
            throw ModelError(
                path: path, "config.json: attn_logit_softcapping \(cap) is not supported (only null: Gemma 3 has none)")
        }
        guard !useBidirectionalAttention else {
            throw ModelError(
                path: path, "config.json: use_bidirectional_attention true is not supported (only causal attention)")
        }
    }

    /// Each block's sliding window, nil for a global block: `layer_types`
    /// when present, else every block but each `sliding_window_pattern`-th,
    /// as `Gemma3TextConfig.__post_init__` builds them.
    func slidingWindows(path: String) throws -> [Int?] {
        let types =
            layerTypes
            ?? (0..<layers).map { ($0 + 1) % slidingWindowPattern == 0 ? "full_attention" : "sliding_attention" }
        return try LayerTypes.windows(
            types, layers: layers, window: slidingWindow, noWindow: "sliding_window is null", path: path)
    }

    /// The inverse frequencies `[headDim/2]` of the global and the sliding
    /// blocks, as `Gemma3TextConfig.convert_rope_params_to_dict` and
    /// `Gemma3RotaryEmbedding` compute them: `rope_parameters[layer_type]`
    /// (or the legacy `rope_theta` / `rope_local_base_freq`, defaults 1e6 /
    /// 1e4), with `rope_scaling` merged into the global one. Types
    /// `default` and `linear` (frequencies divided by `factor` in float32)
    /// are computed; others are refused naming the key.
    func ropes(path: String) throws -> (global: [Float], sliding: [Float]) {
        let keys = ropeParameters.map { Array($0.keys) } ?? []
        if let unknown = keys.first(where: { $0 != "full_attention" && $0 != "sliding_attention" }) {
            throw ModelError(
                path: path,
                "config.json: rope_parameters key '\(unknown)' is not supported (only full_attention and sliding_attention dictionaries)"
            )
        }
        var global = ropeParameters?["full_attention"] ?? RopeParameters()
        if let ropeScaling { global = global.updated(with: ropeScaling) }
        global.ropeTheta = global.ropeTheta ?? ropeTheta ?? 1_000_000
        var sliding = ropeParameters?["sliding_attention"] ?? RopeParameters()
        sliding.ropeTheta = sliding.ropeTheta ?? ropeLocalBaseFrequency ?? 10_000
        let key = ropeScaling != nil ? "rope_scaling" : "rope_parameters"
        return (
            try frequencies(global, key: key, path: path),
            try frequencies(sliding, key: "rope_parameters", path: path)
        )
    }

    private func frequencies(_ parameters: RopeParameters, key: String, path: String) throws -> [Float] {
        func fail(_ message: String) -> ModelError { ModelError(path: path, "config.json: \(key): \(message)") }
        let theta = parameters.ropeTheta ?? 10_000
        try ConfigCheck(path: path).positive("rope_theta", theta)
        if let fraction = parameters.partialRotaryFactor, fraction != 1 {
            throw fail("partial_rotary_factor \(fraction) is not supported (only 1.0: every head dimension rotated)")
        }
        let plain = Kernels.ropeInverseFrequencies(headDim: headDim, theta: theta)
        switch parameters.resolvedType {
        case "default":
            return plain
        case "linear":
            guard let factor = parameters.factor, factor.isFinite, factor > 0 else {
                throw fail("rope type 'linear' needs a finite positive factor")
            }
            return plain.map { $0 / Float(factor) }
        case let type:
            throw fail("rope type '\(type)' is not supported (only default and linear)")
        }
    }
}
