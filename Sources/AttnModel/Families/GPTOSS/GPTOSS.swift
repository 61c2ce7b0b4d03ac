import AttnCheckpoint
import AttnKernels
import Foundation

/// A GPT-OSS decoder, a port of HF's `modeling_gpt_oss.py` (transformers
/// 5.24): RMSNorm before attention and before the mixture of experts,
/// grouped-query attention with q/k/v/o biases and a learned sink logit per
/// head (one more softmax slot, dropped: rows sum to less than 1), sliding
/// and full blocks from `layer_types`, YaRN RoPE (half-split, cosines and
/// sines scaled by the attention factor), and a top-k router whose chosen
/// experts' clamped SwiGLU outputs are summed with the softmax of their logits.
///
/// Experts stay in the file, stacked (`mlp.experts.gate_up_proj` `[E, D, 2I]`
/// with gate and up interleaved, `down_proj` `[E, I, D]`); an expert's
/// weights are decoded only for a batch that routes a token to it.
struct GPTOSS: BlockArchitecture {
    let description: ModelDescription
    let blocks: [Block]
    let pool = ActivationPool()
    private let embeddings: WeightMatrix
    private let eps: Float
    private let inverseFrequencies: [Float]
    private let attentionScaling: Float
    /// Experts per block, and how many the router chooses per token.
    let experts: Int, expertsPerToken: Int
    /// The clamped SwiGLU's `α` and clamp limit.
    let alpha: Float, limit: Float

    /// One block's weights; `Linear` weights `[out, in]`, left in the file.
    struct Block: Sendable {
        var inputNorm, postNorm: FloatBuffer
        var q, k, v, o: WeightMatrix
        var qBias, kBias, vBias, oBias: FloatBuffer?
        /// The learned sink logit of each head `[H]`.
        var sinks: [Float]
        var router: WeightMatrix, routerBias: FloatBuffer
        /// The experts' weights, left in the file.
        var experts: ExpertWeights
        /// Each expert's gate/up biases `[E, 2I]`, in the order of ``ExpertWeights/hiddenLayout``, and down biases `[E, D]`.
        var gateUpBias, downBias: FloatBuffer
        var window: Int?
        /// Measures what `o` makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
    }

    init(checkpoint: Checkpoint, variant: VariantRequest) throws {
        let path = checkpoint.url.path
        try variant.requirePlain(family: Self.name, path: path)
        let config = try WeightLoader.decodeConfig(GPTOSSConfiguration.self, from: checkpoint)
        try config.validate(ConfigCheck(path: path))
        let windows = try config.windows(path: path), rope = try config.rope(path: path)
        let d = config.hiddenSize, inner = config.intermediateSize, heads = config.heads
        let kvHeads = config.kvHeads ?? heads, headDim = config.resolvedHeadDim, E = config.experts
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim, biased = config.attentionBias ?? true
        let loader = WeightLoader(checkpoint: checkpoint)
        func bias(_ name: String, _ width: Int) throws -> FloatBuffer? { biased ? try loader.load(name, [width]) : nil }
        embeddings = try loader.matrix("model.embed_tokens.weight", [config.vocabularySize, d])
        blocks = try (0..<config.layers).map { l in
            let p = "model.layers.\(l).", a = p + "self_attn.", m = p + "mlp."
            for stem in ["gate_up_proj", "down_proj"] where loader.contains(m + "experts.\(stem)_blocks") {
                throw ModelError(
                    path: path,
                    "tensor '\(m)experts.\(stem)_blocks': HF's MXFP4 experts (*_blocks, *_scales) are not read; dequantize to BF16 first, or use llama.cpp's GGUF"
                )
            }
            let o = try loader.matrix(a + "o_proj.weight", [d, qWidth])
            return Block(
                inputNorm: try loader.load(p + "input_layernorm.weight", [d]),
                postNorm: try loader.load(p + "post_attention_layernorm.weight", [d]),
                q: try loader.matrix(a + "q_proj.weight", [qWidth, d]),
                k: try loader.matrix(a + "k_proj.weight", [kvWidth, d]),
                v: try loader.matrix(a + "v_proj.weight", [kvWidth, d]),
                o: o,
                qBias: try bias(a + "q_proj.bias", qWidth), kBias: try bias(a + "k_proj.bias", kvWidth),
                vBias: try bias(a + "v_proj.bias", kvWidth), oBias: try bias(a + "o_proj.bias", d),
                sinks: try loader.floats(a + "sinks", [heads]),
                router: try loader.matrix(m + "router.weight", [E, d]),
                routerBias: try loader.load(m + "router.bias", [E]),
                experts: try ExpertWeights(
                    loader, prefix: m + "experts.", experts: E, hidden: d, inner: inner, format: checkpoint.format),
                gateUpBias: try ExpertWeights.gateUpBias(
                    loader, prefix: m + "experts.", experts: E, inner: inner, format: checkpoint.format),
                downBias: try loader.load(m + "experts.down_proj_bias", [E, d]),
                window: windows[l],
                headNorms: HeadNormFactors(.linear(o), heads: heads, headDim: headDim)
            )
        }
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        eps = config.rmsNormEps ?? 1e-5
        experts = E
        expertsPerToken = config.expertsPerToken
        alpha = config.swigluAlpha ?? 1.702
        limit = config.swigluLimit ?? 7
        inverseFrequencies =
            rope.yarn?.inverseFrequencies(dim: headDim)
            ?? Kernels.ropeInverseFrequencies(headDim: headDim, theta: rope.theta)
        attentionScaling = rope.yarn?.attentionScaling ?? 1
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: config.layers, heads: heads, kvHeads: kvHeads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers, blockWindows: windows
        )
    }

    /// The LM head, the final norm (capture stops before it) and cached rotary frequencies.
    static func isUnused(_ name: String) -> Bool {
        name == "lm_head.weight" || name == "model.norm.weight" || name.hasSuffix(".rotary_emb.inv_freq")
    }

    func tables(longest: Int) -> RopeTables {
        RopeTables(positions: longest, inverseFrequencies: inverseFrequencies).scaled(by: attentionScaling)
    }

    var activations: ActivationPlan {
        let d = description, D = d.hiddenSize, inner = d.intermediateSize
        let qWidth = d.heads * d.headDim, kvWidth = d.kvHeads * d.headDim
        return ActivationPlan(
            [
                .residual: D, .normed: D, .projected: D, .queries: qWidth, .keys: kvWidth, .values: kvWidth,
                .attended: qWidth,
                .routerLogits: experts, .expertInputs: D, .expertOutputs: D, .hidden: 2 * inner, .up: inner,
            ], fixed: [.expertGateUp: D * 2 * inner, .expertDown: inner * D])
    }

    func embed(_ pass: ForwardPass<RopeTables>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        for (r, id) in pass.tokens.enumerated() { embeddings.decode(row: id, into: x + r * D) }
    }

    func window(_ block: Block) -> Int? { block.window }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }
    func sinks(_ block: Block) -> [Float]? { block.sinks }

    /// `q, k, v = W·RMSNorm(x) + b`, then YaRN RoPE on `q` and `k`.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, H = description.heads, G = description.kvHeads, hd = description.headDim
        let normed = pass[.normed], q = pass[.queries], keys = pass[.keys]
        Kernels.rmsNorm(
            pass[.residual].pointer, weight: block.inputNorm.pointer, eps: eps, rows: pass.rows, width: D,
            into: normed.pointer)
        linear(normed, block.q, block.qBias, batch: pass.batch, inputs: D, outputs: H * hd, into: q)
        linear(normed, block.k, block.kBias, batch: pass.batch, inputs: D, outputs: G * hd, into: keys)
        linear(normed, block.v, block.vBias, batch: pass.batch, inputs: D, outputs: G * hd, into: pass[.values])
        pass.tables.rotate(q, heads: H, headDim: hd, batch: pass.batch)
        pass.tables.rotate(keys, heads: G, headDim: hd, batch: pass.batch)
    }

    /// `x += o(U)`, then `x += Σ_{e chosen} w_e · expert_e(RMSNorm(x))`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, qWidth = description.heads * description.headDim, t = pass.rows
        let x = pass[.residual], normed = pass[.normed], projected = pass[.projected]
        linear(pass[.attended], block.o, block.oBias, batch: pass.batch, inputs: qWidth, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
        Kernels.rmsNorm(x.pointer, weight: block.postNorm.pointer, eps: eps, rows: t, width: D, into: normed.pointer)
        mixture(block, pass, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
    }
}
