import AttnCheckpoint
import AttnKernels

/// A Gemma 3 text decoder, as HF's `Gemma3TextModel` (transformers 5.23)
/// computes it in float32: embeddings scaled by `√hidden_size`, RMSNorms
/// that multiply by `(1 + w)`, per-head q/k norms, sliding (local) and
/// global blocks with their own RoPE base and window, scores scaled by
/// `query_pre_attn_scalar^-0.5`, norms after attention and around the
/// GELU-tanh-gated MLP.
///
/// Weights use HF names (`model.layers.N.self_attn.q_proj.weight`, …, or
/// the language model's inside a multimodal `gemma3` checkpoint: see
/// ``Gemma3Layout``); a GGUF file is presented under them by
/// ``ggufView(_:)``. The LM head (and so `final_logit_softcapping`) is never
/// needed: the probe stops at the last block.
struct Gemma3: BlockArchitecture {
    let description: ModelDescription
    private let eps: Float
    /// Multiplies every embedding row: `√hidden_size` rounded to float32.
    private let embeddingScale: Float
    /// Multiplies `q·k` before the softmax: `query_pre_attn_scalar^-0.5` in float32.
    private let queryScale: Float
    /// RoPE inverse frequencies `[headDim/2]` of the global and the sliding blocks.
    private let globalFrequencies, slidingFrequencies: [Float]
    private let embeddings: WeightMatrix
    let blocks: [Block]
    let pool = ActivationPool()

    /// One block's weights: `Linear` weights `[out, in]`, left in the file; norm
    /// weights hold `1 + w` (computed once in float32, as HF computes it per
    /// call, after taking off what a GGUF file stores on top of `w`).
    struct Block: Sendable {
        var inputNorm, postAttentionNorm, preFeedForwardNorm, postFeedForwardNorm: FloatBuffer
        /// Applied to each query / key head `[headDim]` before RoPE.
        var qNorm, kNorm: FloatBuffer
        var q, k, v, o: WeightMatrix
        /// Measures what `o` makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
        var gate, up, down: WeightMatrix
        /// The sliding window, nil for a global block.
        var window: Int?
    }

    init(checkpoint: Checkpoint, variant request: VariantRequest) throws {
        let path = checkpoint.url.path
        try request.requirePlain(family: "gemma3", path: path)
        let layout = try Gemma3Layout(checkpoint: checkpoint), config = layout.config
        try config.validate(ConfigCheck(path: path))
        let windows = try config.slidingWindows(path: path)
        let ropes = try config.ropes(path: path)
        let d = config.hiddenSize, inner = config.intermediateSize
        let heads = config.heads, kvHeads = config.kvHeads, headDim = config.headDim
        let loader = WeightLoader(checkpoint: checkpoint, prefix: layout.prefix)
        let offset = Self.storedNormOffset(checkpoint.format)
        func norm(_ name: String, _ width: Int) throws -> FloatBuffer {
            FloatBuffer(try loader.floats(name, [width]).map { 1 + ($0 - offset) })
        }
        embeddings = try loader.matrix("embed_tokens.weight", [config.vocabularySize, d])
        blocks = try (0..<config.layers).map { l in
            let p = "layers.\(l).", a = p + "self_attn.", m = p + "mlp."
            let o = try loader.matrix(a + "o_proj.weight", [d, heads * headDim])
            return Block(
                inputNorm: try norm(p + "input_layernorm.weight", d),
                postAttentionNorm: try norm(p + "post_attention_layernorm.weight", d),
                preFeedForwardNorm: try norm(p + "pre_feedforward_layernorm.weight", d),
                postFeedForwardNorm: try norm(p + "post_feedforward_layernorm.weight", d),
                qNorm: try norm(a + "q_norm.weight", headDim),
                kNorm: try norm(a + "k_norm.weight", headDim),
                q: try loader.matrix(a + "q_proj.weight", [heads * headDim, d]),
                k: try loader.matrix(a + "k_proj.weight", [kvHeads * headDim, d]),
                v: try loader.matrix(a + "v_proj.weight", [kvHeads * headDim, d]),
                o: o, headNorms: HeadNormFactors(.linear(o), heads: heads, headDim: headDim),
                gate: try loader.matrix(m + "gate_proj.weight", [inner, d]),
                up: try loader.matrix(m + "up_proj.weight", [inner, d]),
                down: try loader.matrix(m + "down_proj.weight", [d, inner]),
                window: windows[l]
            )
        }
        try loader.requireAllConsumed(family: "gemma3", ignoring: layout.isUnused)
        eps = config.rmsNormEps
        embeddingScale = Float(Double(d).squareRoot())
        queryScale = Float(1 / config.queryPreAttentionScalar.squareRoot())
        (globalFrequencies, slidingFrequencies) = ropes
        description = ModelDescription(
            family: "gemma3", variant: "transformer", layers: config.layers, heads: heads, kvHeads: kvHeads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers,
            blockWindows: windows
        )
    }

    /// RoPE tables of the global and the sliding blocks.
    struct Tables {
        let global, sliding: RopeTables
    }

    func tables(longest: Int) -> Tables {
        Tables(
            global: RopeTables(positions: longest, inverseFrequencies: globalFrequencies),
            sliding: RopeTables(positions: longest, inverseFrequencies: slidingFrequencies))
    }

    var activations: ActivationPlan {
        let d = description, qWidth = d.heads * d.headDim, kvWidth = d.kvHeads * d.headDim
        return ActivationPlan([
            .residual: d.hiddenSize, .normed: d.hiddenSize, .projected: d.hiddenSize,
            .queries: qWidth, .keys: kvWidth, .values: kvWidth, .attended: qWidth,
            .hidden: d.intermediateSize, .up: d.intermediateSize,
        ])
    }

    /// Each row's embedding times `√hidden_size`.
    func embed(_ pass: ForwardPass<Tables>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        for (r, id) in pass.tokens.enumerated() {
            let row = x + r * D
            embeddings.decode(row: id, into: row)
            for c in 0..<D { row[c] *= embeddingScale }
        }
    }

    func window(_ block: Block) -> Int? { block.window }
    func scoreScale(_ block: Block) -> Float { queryScale }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    /// `q, k, v = W·RMSNorm(x)`, then q/k norms per head and the block's RoPE (global or sliding).
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<Tables>) {
        let D = description.hiddenSize, H = description.heads, G = description.kvHeads, hd = description.headDim
        let normed = pass[.normed], q = pass[.queries], keys = pass[.keys], rows = pass.rows
        let rope = block.window == nil ? pass.tables.global : pass.tables.sliding
        Kernels.rmsNorm(
            pass[.residual].pointer, weight: block.inputNorm.pointer, eps: eps, rows: rows, width: D,
            into: normed.pointer)
        linear(normed, block.q, nil, batch: pass.batch, inputs: D, outputs: H * hd, into: q)
        linear(normed, block.k, nil, batch: pass.batch, inputs: D, outputs: G * hd, into: keys)
        linear(normed, block.v, nil, batch: pass.batch, inputs: D, outputs: G * hd, into: pass[.values])
        Kernels.rmsNorm(q.pointer, weight: block.qNorm.pointer, eps: eps, rows: rows * H, width: hd, into: q.pointer)
        Kernels.rmsNorm(
            keys.pointer, weight: block.kNorm.pointer, eps: eps, rows: rows * G, width: hd, into: keys.pointer)
        rope.rotate(q, heads: H, headDim: hd, batch: pass.batch)
        rope.rotate(keys, heads: G, headDim: hd, batch: pass.batch)
    }

    /// `x += norm(W_o·U)`, then `x += norm(W_down·(GELU(W_gate·n) ⊙ W_up·n))` with `n = norm(x)`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<Tables>) {
        let D = description.hiddenSize, inner = description.intermediateSize,
            qWidth = description.heads * description.headDim
        let x = pass[.residual], normed = pass[.normed], projected = pass[.projected], gate = pass[.hidden],
            up = pass[.up]
        let t = pass.rows
        linear(pass[.attended], block.o, nil, batch: pass.batch, inputs: qWidth, outputs: D, into: projected)
        Kernels.rmsNorm(
            projected.pointer, weight: block.postAttentionNorm.pointer, eps: eps, rows: t, width: D,
            into: projected.pointer)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)

        Kernels.rmsNorm(
            x.pointer, weight: block.preFeedForwardNorm.pointer, eps: eps, rows: t, width: D, into: normed.pointer)
        linear(normed, block.gate, nil, batch: pass.batch, inputs: D, outputs: inner, into: gate)
        linear(normed, block.up, nil, batch: pass.batch, inputs: D, outputs: inner, into: up)
        Kernels.activate(gate.pointer, count: t * inner, .geluTanh)
        for i in 0..<(t * inner) { gate.pointer[i] *= up.pointer[i] }
        linear(gate, block.down, nil, batch: pass.batch, inputs: inner, outputs: D, into: projected)
        Kernels.rmsNorm(
            projected.pointer, weight: block.postFeedForwardNorm.pointer, eps: eps, rows: t, width: D,
            into: projected.pointer)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
    }
}
