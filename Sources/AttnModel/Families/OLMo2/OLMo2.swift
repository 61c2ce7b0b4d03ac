import AttnCheckpoint
import AttnKernels

/// An OLMo 2 decoder, a port of HF's `modeling_olmo2.py` (transformers
/// 5.24): no norm before attention or the MLP, RMSNorms after them
/// (`x += norm(attn(x))`, `x += norm(mlp(x))`), q/k RMSNorm over the whole
/// projection (`[H·d]`, before the head split), then half-split RoPE;
/// grouped-query attention and a SwiGLU MLP.
struct OLMo2: BlockArchitecture {
    let description: ModelDescription
    let blocks: [Block]
    let pool = ActivationPool()
    private let embeddings: WeightMatrix
    private let eps: Float
    private let inverseFrequencies: [Float]

    /// One block's weights; `Linear` weights `[out, in]`, left in the file.
    struct Block: Sendable {
        var q, k, v, o, gate, up, down: WeightMatrix
        var qBias, kBias, vBias, oBias: FloatBuffer?
        /// RMSNorm weights over all query heads `[H·d]` and all key heads `[G·d]`.
        var qNorm, kNorm: FloatBuffer
        var postAttentionNorm, postFeedForwardNorm: FloatBuffer
        /// Measures what `o` makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
    }

    init(checkpoint: Checkpoint, variant: VariantRequest) throws {
        let path = checkpoint.url.path
        try variant.requirePlain(family: Self.name, path: path)
        let config = try WeightLoader.decodeConfig(OLMo2Configuration.self, from: checkpoint)
        try config.validate(ConfigCheck(path: path))
        let theta = try config.theta(path: path)
        let d = config.hiddenSize, inner = config.intermediateSize, heads = config.heads
        let kvHeads = config.kvHeads ?? heads, headDim = config.resolvedHeadDim
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim, biased = config.attentionBias ?? false
        let loader = WeightLoader(checkpoint: checkpoint)
        func bias(_ name: String, _ width: Int) throws -> FloatBuffer? { biased ? try loader.load(name, [width]) : nil }
        embeddings = try loader.matrix("model.embed_tokens.weight", [config.vocabularySize, d])
        blocks = try (0..<config.layers).map { l in
            let p = "model.layers.\(l).", a = p + "self_attn.", m = p + "mlp."
            let o = try loader.matrix(a + "o_proj.weight", [d, qWidth])
            return Block(
                q: try loader.matrix(a + "q_proj.weight", [qWidth, d]),
                k: try loader.matrix(a + "k_proj.weight", [kvWidth, d]),
                v: try loader.matrix(a + "v_proj.weight", [kvWidth, d]),
                o: o,
                gate: try loader.matrix(m + "gate_proj.weight", [inner, d]),
                up: try loader.matrix(m + "up_proj.weight", [inner, d]),
                down: try loader.matrix(m + "down_proj.weight", [d, inner]),
                qBias: try bias(a + "q_proj.bias", qWidth), kBias: try bias(a + "k_proj.bias", kvWidth),
                vBias: try bias(a + "v_proj.bias", kvWidth), oBias: try bias(a + "o_proj.bias", d),
                qNorm: try loader.load(a + "q_norm.weight", [qWidth]),
                kNorm: try loader.load(a + "k_norm.weight", [kvWidth]),
                postAttentionNorm: try loader.load(p + "post_attention_layernorm.weight", [d]),
                postFeedForwardNorm: try loader.load(p + "post_feedforward_layernorm.weight", [d]),
                headNorms: HeadNormFactors(.linear(o), heads: heads, headDim: headDim)
            )
        }
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        eps = config.rmsNormEps ?? 1e-5
        inverseFrequencies = Kernels.ropeInverseFrequencies(headDim: headDim, theta: theta)
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: config.layers, heads: heads, kvHeads: kvHeads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers
        )
    }

    /// The LM head and the final norm (capture stops before it), and cached
    /// rotary frequencies. Anything else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        name == "lm_head.weight" || name == "model.norm.weight" || name.hasSuffix(".rotary_emb.inv_freq")
    }

    func tables(longest: Int) -> RopeTables {
        RopeTables(positions: longest, inverseFrequencies: inverseFrequencies)
    }

    var activations: ActivationPlan {
        let d = description, qWidth = d.heads * d.headDim, kvWidth = d.kvHeads * d.headDim
        return ActivationPlan([
            .residual: d.hiddenSize, .projected: d.hiddenSize, .queries: qWidth, .keys: kvWidth, .values: kvWidth,
            .attended: qWidth, .hidden: d.intermediateSize, .up: d.intermediateSize,
        ])
    }

    func embed(_ pass: ForwardPass<RopeTables>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        for (r, id) in pass.tokens.enumerated() { embeddings.decode(row: id, into: x + r * D) }
    }

    func window(_ block: Block) -> Int? { nil }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    /// `q = RoPE(RMSNorm_{H·d}(W_q·x))`, `k` likewise, `v = W_v·x`: no norm before attention.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, H = description.heads, G = description.kvHeads, hd = description.headDim
        let x = pass[.residual], q = pass[.queries], keys = pass[.keys], t = pass.rows
        linear(x, block.q, block.qBias, batch: pass.batch, inputs: D, outputs: H * hd, into: q)
        linear(x, block.k, block.kBias, batch: pass.batch, inputs: D, outputs: G * hd, into: keys)
        linear(x, block.v, block.vBias, batch: pass.batch, inputs: D, outputs: G * hd, into: pass[.values])
        Kernels.rmsNorm(q.pointer, weight: block.qNorm.pointer, eps: eps, rows: t, width: H * hd, into: q.pointer)
        Kernels.rmsNorm(keys.pointer, weight: block.kNorm.pointer, eps: eps, rows: t, width: G * hd, into: keys.pointer)
        pass.tables.rotate(q, heads: H, headDim: hd, batch: pass.batch)
        pass.tables.rotate(keys, heads: G, headDim: hd, batch: pass.batch)
    }

    /// `x += RMSNorm(W_o·U)`, then `x += RMSNorm(W_down·(SiLU(W_gate·x) ⊙ W_up·x))`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, inner = description.intermediateSize,
            qWidth = description.heads * description.headDim
        let t = pass.rows, x = pass[.residual], projected = pass[.projected], gate = pass[.hidden], up = pass[.up]
        linear(pass[.attended], block.o, block.oBias, batch: pass.batch, inputs: qWidth, outputs: D, into: projected)
        Kernels.rmsNorm(
            projected.pointer, weight: block.postAttentionNorm.pointer, eps: eps, rows: t, width: D,
            into: projected.pointer)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
        linear(x, block.gate, nil, batch: pass.batch, inputs: D, outputs: inner, into: gate)
        linear(x, block.up, nil, batch: pass.batch, inputs: D, outputs: inner, into: up)
        Kernels.siluGate(gate.pointer, up: up.pointer, count: t * inner)
        linear(gate, block.down, nil, batch: pass.batch, inputs: inner, outputs: D, into: projected)
        Kernels.rmsNorm(
            projected.pointer, weight: block.postFeedForwardNorm.pointer, eps: eps, rows: t, width: D,
            into: projected.pointer)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
    }
}
