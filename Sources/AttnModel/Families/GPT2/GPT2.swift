import AttnCheckpoint
import AttnKernels

/// A GPT-2 decoder, a port of HF's `modeling_gpt2.py` (transformers 5.23): learned positions, pre-LayerNorm, fused `c_attn`, biases,
/// GELU (tanh approximation by default).
///
/// GPT-2 stores `Conv1D` weights `[in, out]` (the transpose of `Linear`).
/// Tensor names may carry a `transformer.` prefix (`GPT2LMHeadModel`) or not.
struct GPT2: BlockArchitecture {
    let description: ModelDescription
    private let eps: Float
    private let activation: Kernels.Activation
    private let tokenEmbeddings, positionEmbeddings: WeightMatrix
    let blocks: [Block]
    let pool = ActivationPool()

    /// One block's weights, as GPT-2's `Conv1D`s store them (`[in, out]`).
    struct Block: Sendable {
        var norm1Weight, norm1Bias, norm2Weight, norm2Bias: FloatBuffer
        var attentionWeight, attentionBias, projectionWeight, projectionBias: FloatBuffer
        var fcWeight, fcBias, outWeight, outBias: FloatBuffer
        /// Measures what the output projection makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
    }

    private struct Configuration: Decodable {
        var vocabularySize: Int
        var positions: Int
        var hiddenSize: Int
        var layers: Int
        var heads: Int
        var inner: Int?
        var eps: Float?
        var activation: String?
        var scaleWeights: Bool?
        var scaleByLayer: Bool?
        /// Checks every size and number against ``ModelLimits`` before use.
        func validate(_ check: ConfigCheck) throws {
            try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
            try check.count(CodingKeys.positions, positions, ModelLimits.contextLength)
            try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
            try check.count(CodingKeys.layers, layers, ModelLimits.layers)
            try check.count(CodingKeys.heads, heads, ModelLimits.heads)
            if let inner { try check.count(CodingKeys.inner, inner, ModelLimits.intermediateSize) }
            if let eps { try check.nonNegative(CodingKeys.eps, eps) }
        }

        enum CodingKeys: String, CodingKey {
            case vocabularySize = "vocab_size"
            case positions = "n_positions"
            case hiddenSize = "n_embd"
            case layers = "n_layer"
            case heads = "n_head"
            case inner = "n_inner"
            case eps = "layer_norm_epsilon"
            case activation = "activation_function"
            case scaleWeights = "scale_attn_weights"
            case scaleByLayer = "scale_attn_by_inverse_layer_idx"
        }
    }

    init(checkpoint: Checkpoint, variant: VariantRequest) throws {
        try variant.requirePlain(family: Self.name, path: checkpoint.url.path)
        let config = try WeightLoader.decodeConfig(Configuration.self, from: checkpoint)
        let path = checkpoint.url.path
        try config.validate(ConfigCheck(path: path))
        let d = config.hiddenSize, heads = config.heads, inner = config.inner ?? 4 * d
        guard d % heads == 0 else {
            throw ModelError(path: path, "config.json: n_embd \(d) is not a multiple of n_head \(heads)")
        }
        guard let activation = Kernels.Activation(configName: config.activation ?? "gelu_new") else {
            throw ModelError(
                path: path, "config.json: activation_function '\(config.activation ?? "")' is not supported")
        }
        guard config.scaleWeights ?? true, !(config.scaleByLayer ?? false) else {
            throw ModelError(
                path: path, "config.json: only scale_attn_weights=true without per-layer scaling is supported")
        }
        let prefix = checkpoint.contains("transformer.wte.weight") ? "transformer." : ""
        let loader = WeightLoader(checkpoint: checkpoint, prefix: prefix)
        tokenEmbeddings = try loader.matrix("wte.weight", [config.vocabularySize, d])
        positionEmbeddings = try loader.matrix("wpe.weight", [config.positions, d])
        blocks = try (0..<config.layers).map { l in
            let p = "h.\(l)."
            let projection = try loader.load(p + "attn.c_proj.weight", [d, d])
            return Block(
                norm1Weight: try loader.load(p + "ln_1.weight", [d]), norm1Bias: try loader.load(p + "ln_1.bias", [d]),
                norm2Weight: try loader.load(p + "ln_2.weight", [d]), norm2Bias: try loader.load(p + "ln_2.bias", [d]),
                attentionWeight: try loader.load(p + "attn.c_attn.weight", [d, 3 * d]),
                attentionBias: try loader.load(p + "attn.c_attn.bias", [3 * d]),
                projectionWeight: projection,
                projectionBias: try loader.load(p + "attn.c_proj.bias", [d]),
                fcWeight: try loader.load(p + "mlp.c_fc.weight", [d, inner]),
                fcBias: try loader.load(p + "mlp.c_fc.bias", [inner]),
                outWeight: try loader.load(p + "mlp.c_proj.weight", [inner, d]),
                outBias: try loader.load(p + "mlp.c_proj.bias", [d]),
                headNorms: HeadNormFactors(.conv1D(projection, outputs: d), heads: heads, headDim: d / heads)
            )
        }
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        eps = config.eps ?? 1e-5
        self.activation = activation
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: config.layers, heads: heads, kvHeads: heads,
            headDim: d / heads, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.positions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers
        )
    }

    var activations: ActivationPlan {
        let D = description.hiddenSize
        return ActivationPlan([
            .residual: D, .normed: D, .projected: D, .fusedProjection: 3 * D,
            .queries: D, .keys: D, .values: D, .attended: D, .hidden: description.intermediateSize,
        ])
    }

    /// Token plus learned position embeddings, positions from 0 in each prompt.
    func embed(_ pass: ForwardPass<Void>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        let place = UnsafeMutablePointer<Float>.allocate(capacity: D)
        defer { place.deallocate() }
        for rows in pass.batch.prompts {
            for (position, r) in rows.enumerated() {
                let row = x + r * D
                tokenEmbeddings.decode(row: pass.tokens[r], into: row)
                positionEmbeddings.decode(row: position, into: place)
                for c in 0..<D { row[c] = row[c] + place[c] }
            }
        }
    }

    func window(_ block: Block) -> Int? { nil }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    /// `[q|k|v] = c_attn(LayerNorm(x))`, split into the three buffers.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<Void>) {
        let D = description.hiddenSize, t = pass.rows, normed = pass[.normed], fused = pass[.fusedProjection]
        Kernels.layerNorm(
            pass[.residual].pointer, weight: block.norm1Weight.pointer, bias: block.norm1Bias.pointer, eps: eps,
            rows: t, width: D,
            into: normed.pointer)
        conv1D(
            normed, block.attentionWeight, block.attentionBias, batch: pass.batch, inputs: D, outputs: 3 * D,
            into: fused)
        for (part, name) in [ActivationName.queries, .keys, .values].enumerated() {
            let target = pass[name].pointer
            for r in 0..<t { (target + r * D).update(from: fused.pointer + r * 3 * D + part * D, count: D) }
        }
    }

    /// `x += c_proj(U)`, then `x += mlp.c_proj(act(c_fc(LayerNorm(x))))`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<Void>) {
        let D = description.hiddenSize, inner = description.intermediateSize, t = pass.rows
        let x = pass[.residual], normed = pass[.normed], projected = pass[.projected], hidden = pass[.hidden]
        conv1D(
            pass[.attended], block.projectionWeight, block.projectionBias, batch: pass.batch, inputs: D, outputs: D,
            into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
        Kernels.layerNorm(
            x.pointer, weight: block.norm2Weight.pointer, bias: block.norm2Bias.pointer, eps: eps, rows: t, width: D,
            into: normed.pointer)
        conv1D(normed, block.fcWeight, block.fcBias, batch: pass.batch, inputs: D, outputs: inner, into: hidden)
        Kernels.activate(hidden.pointer, count: t * inner, activation)
        conv1D(hidden, block.outWeight, block.outBias, batch: pass.batch, inputs: inner, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
    }

    /// Tensors a GPT-2 checkpoint may hold that the probe has no use for: the
    /// LM head, the final LayerNorm (capture stops before it) and the causal
    /// mask buffers older checkpoints store. Anything else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        ["lm_head.weight", "ln_f.weight", "ln_f.bias"].contains(name)
            || name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias")
    }

    /// `out = input · weight + bias` for a GPT-2 `Conv1D` weight `[inputs, outputs]`,
    /// one product per row slice of the batch (as ``linear(_:_:_:batch:inputs:outputs:into:tileRows:runTiles:)``).
    private func conv1D(
        _ input: FloatBuffer, _ weight: FloatBuffer, _ bias: FloatBuffer, batch: Batch, inputs: Int, outputs: Int,
        into out: FloatBuffer
    ) {
        assert(
            input.count >= batch.rows * inputs && weight.count == inputs * outputs && out.count >= batch.rows * outputs
                && bias.count == outputs,
            "conv1D [\(batch.rows), \(inputs)] → [\(batch.rows), \(outputs)]: buffers too small")
        nonisolated(unsafe) let (x, w, y) = (input.pointer, weight.pointer, out.pointer)
        let slices = batch.slices
        withExtendedLifetime((input, weight, out)) {
            Parallel.forEach(slices.count) { s in
                let row = slices[s].lowerBound
                BLAS.gemm(m: slices[s].count, n: outputs, k: inputs, x + row * inputs, w, y + row * outputs)
            }
        }
        Kernels.addBias(out.pointer, bias: bias.pointer, rows: batch.rows, width: outputs)
    }
}

/// GPT-2's place in ``ModelRegistry``: HF folders only.
extension GPT2: ModelFamily {
    static let name = "gpt2"
    static let modelTypes = ["gpt2"]
    static let summary = "learned positions, LayerNorm, Conv1D projections"
}
