import AttnCheckpoint
import AttnKernels

/// A Llama-family decoder, a port of HF's `modeling_llama.py` (and its
/// `mistral`, `qwen2`, `qwen3`, `phi3` siblings; transformers 5.23):
/// RMSNorm, half-split RoPE (plain or Llama 3 scaled), SwiGLU, grouped-query attention, Mistral's, Qwen2's and Phi-3's
/// sliding windows, Qwen2's q/k/v biases, Qwen3's per-head q/k norms,
/// Phi-3's fused projections (split by ``Phi3Weights``), and the paper's
/// value-residual, shared-value, NeuTRENO, DenseFormer and cross-layer-KV variants.
///
/// Weights use HF names (`model.layers.N.self_attn.q_proj.weight`, …), as
/// HF folders store them and as `Checkpoint` presents a GGUF file. The LM
/// head is never needed: the probe stops at the last block.
struct Llama: BlockArchitecture {
    let description: ModelDescription
    private let config: LlamaConfiguration
    private let resolved: LlamaVariant
    let pool = ActivationPool()
    /// RoPE's inverse frequencies `[headDim/2]`.
    private let inverseFrequencies: [Float]
    private let embeddings: WeightMatrix
    let blocks: [Block]

    /// One block's weights; `Linear` weights are `[out, in]`, left in the file.
    struct Block: Sendable {
        var inputNorm, postNorm: FloatBuffer
        var q, o: WeightMatrix
        /// Measures what `o` makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
        var k, v: WeightMatrix?
        /// Qwen3's RMSNorm weights `[headDim]` applied to each query and key head before RoPE.
        var qNorm, kNorm: FloatBuffer?
        /// The sliding window of this block's attention, nil for plain causal.
        var window: Int?
        var qBias, kBias, vBias, oBias: FloatBuffer?
        var gate, up, down: WeightMatrix
        var gateBias, upBias, downBias: FloatBuffer?
    }

    init(checkpoint: Checkpoint, variant request: VariantRequest) throws {
        let config = try WeightLoader.decodeConfig(LlamaConfiguration.self, from: checkpoint)
        let path = checkpoint.url.path
        var rope = try config.rope(path: path)
        if let act = config.hiddenAct, act != "silu" {
            throw ModelError(path: path, "config.json: hidden_act '\(act)' is not supported for llama (expected silu)")
        }
        try config.validate(ConfigCheck(path: path))
        let heads = config.heads, kvHeads = config.kvHeads ?? config.heads
        let headDim = config.resolvedHeadDim
        guard heads % kvHeads == 0, headDim > 0, headDim % 2 == 0 else {
            throw ModelError(
                path: path, "config.json: \(heads) heads, \(kvHeads) kv heads, head size \(headDim) do not fit together"
            )
        }
        let d = config.hiddenSize, inner = config.intermediateSize
        let loader = WeightLoader(checkpoint: checkpoint)
        if config.modelType.fusesProjections {
            try Phi3Weights.split(
                loader, layers: config.layers, heads: heads, kvHeads: kvHeads, headDim: headDim, hiddenSize: d,
                intermediateSize: inner
            )
        }
        let headNorms = config.modelType.normalisesHeads
        let names = (0..<config.layers).map { "model.layers.\($0)." }
        let hasKey = names.map { loader.contains($0 + "self_attn.k_proj.weight") }
        let hasValue = names.map { loader.contains($0 + "self_attn.v_proj.weight") }
        resolved = try LlamaVariant.resolve(
            request: request, declared: config.variant, hasKey: hasKey, hasValue: hasValue,
            heads: heads, kvHeads: kvHeads, loader: loader
        )
        let biases = config.biases, windows = try config.slidingWindows(path: path)
        func bias(_ name: String, _ width: Int, _ enabled: Bool) throws -> FloatBuffer? {
            enabled ? try loader.load(name, [width]) : nil
        }
        embeddings = try loader.matrix("model.embed_tokens.weight", [config.vocabularySize, d])
        blocks = try names.enumerated().map { l, p in
            let a = p + "self_attn.", m = p + "mlp."
            let o = try loader.matrix(a + "o_proj.weight", [d, heads * headDim])
            return Block(
                inputNorm: try loader.load(p + "input_layernorm.weight", [d]),
                postNorm: try loader.load(p + "post_attention_layernorm.weight", [d]),
                q: try loader.matrix(a + "q_proj.weight", [heads * headDim, d]),
                o: o, headNorms: HeadNormFactors(.linear(o), heads: heads, headDim: headDim),
                k: hasKey[l] ? try loader.matrix(a + "k_proj.weight", [kvHeads * headDim, d]) : nil,
                v: hasValue[l] ? try loader.matrix(a + "v_proj.weight", [kvHeads * headDim, d]) : nil,
                qNorm: headNorms ? try loader.load(a + "q_norm.weight", [headDim]) : nil,
                kNorm: headNorms && hasKey[l] ? try loader.load(a + "k_norm.weight", [headDim]) : nil,
                window: windows[l],
                qBias: try bias(a + "q_proj.bias", heads * headDim, biases.query),
                kBias: try bias(a + "k_proj.bias", kvHeads * headDim, biases.query && hasKey[l]),
                vBias: try bias(a + "v_proj.bias", kvHeads * headDim, biases.query && hasValue[l]),
                oBias: try bias(a + "o_proj.bias", d, biases.output),
                gate: try loader.matrix(m + "gate_proj.weight", [inner, d]),
                up: try loader.matrix(m + "up_proj.weight", [inner, d]),
                down: try loader.matrix(m + "down_proj.weight", [d, inner]),
                gateBias: try bias(m + "gate_proj.bias", inner, biases.mlp),
                upBias: try bias(m + "up_proj.bias", inner, biases.mlp),
                downBias: try bias(m + "down_proj.bias", d, biases.mlp)
            )
        }
        try rope.readFrequencyFactors(loader, headDim: headDim)
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        self.config = config
        inverseFrequencies = rope.inverseFrequencies(headDim: headDim)
        description = ModelDescription(
            family: Self.name, variant: resolved.name, layers: config.layers, heads: heads, kvHeads: kvHeads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: hasKey.filter { $0 }.count, valueBlocks: hasValue.filter { $0 }.count,
            blockWindows: windows, counterfactual: resolved.counterfactual
        )
    }

    var variant: VariantHooks { resolved.hooks }

    /// RoPE's cosines and sines for the longest prompt.
    func tables(longest: Int) -> RopeTables {
        RopeTables(positions: longest, inverseFrequencies: inverseFrequencies)
    }

    var activations: ActivationPlan {
        let d = description, qWidth = d.heads * d.headDim, kvWidth = d.kvHeads * d.headDim
        return ActivationPlan([
            .residual: d.hiddenSize, .normed: d.hiddenSize, .projected: d.hiddenSize,
            .queries: qWidth, .keys: kvWidth, .values: kvWidth, .attended: qWidth,
            .hidden: d.intermediateSize, .up: d.intermediateSize,
        ])
    }

    func embed(_ pass: ForwardPass<RopeTables>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        for (row, id) in pass.tokens.enumerated() { embeddings.decode(row: id, into: x + row * D) }
    }

    func window(_ block: Block) -> Int? { block.window }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    /// `q = RoPE(norm(W_q·RMSNorm(x)))`, and the block's own keys and values when it has them.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, H = description.heads, G = description.kvHeads, hd = description.headDim
        let eps = config.rmsNormEps, normed = pass[.normed], q = pass[.queries], keys = pass[.keys]
        Kernels.rmsNorm(
            pass[.residual].pointer, weight: block.inputNorm.pointer, eps: eps, rows: pass.rows, width: D,
            into: normed.pointer)
        linear(normed, block.q, block.qBias, batch: pass.batch, inputs: D, outputs: H * hd, into: q)
        if let qNorm = block.qNorm {
            Kernels.rmsNorm(q.pointer, weight: qNorm.pointer, eps: eps, rows: pass.rows * H, width: hd, into: q.pointer)
        }
        pass.tables.rotate(q, heads: H, headDim: hd, batch: pass.batch)
        if let k = block.k {
            linear(normed, k, block.kBias, batch: pass.batch, inputs: D, outputs: G * hd, into: keys)
            if let kNorm = block.kNorm {
                Kernels.rmsNorm(
                    keys.pointer, weight: kNorm.pointer, eps: eps, rows: pass.rows * G, width: hd, into: keys.pointer)
            }
            pass.tables.rotate(keys, heads: G, headDim: hd, batch: pass.batch)
        }
        if let v = block.v {
            linear(normed, v, block.vBias, batch: pass.batch, inputs: D, outputs: G * hd, into: pass[.values])
        }
    }

    /// `x += W_o·U`, then `x += W_down·(SiLU(W_gate·n) ⊙ W_up·n)` with `n = RMSNorm(x)`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, inner = description.intermediateSize,
            qWidth = description.heads * description.headDim
        let x = pass[.residual], normed = pass[.normed], projected = pass[.projected], gate = pass[.hidden],
            up = pass[.up]
        linear(pass[.attended], block.o, block.oBias, batch: pass.batch, inputs: qWidth, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: pass.rows * D)
        Kernels.rmsNorm(
            x.pointer, weight: block.postNorm.pointer, eps: config.rmsNormEps, rows: pass.rows, width: D,
            into: normed.pointer)
        linear(normed, block.gate, block.gateBias, batch: pass.batch, inputs: D, outputs: inner, into: gate)
        linear(normed, block.up, block.upBias, batch: pass.batch, inputs: D, outputs: inner, into: up)
        Kernels.siluGate(gate.pointer, up: up.pointer, count: pass.rows * inner)
        linear(gate, block.down, block.downBias, batch: pass.batch, inputs: inner, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: pass.rows * D)
    }

    /// Tensors a Llama checkpoint may hold that the probe has no use for:
    /// the LM head and the final norm (capture stops at the last block's
    /// output, before that norm, as the HF hooks of the golden data do) and
    /// cached rotary frequencies. Anything else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        name == "lm_head.weight" || name == "model.norm.weight" || name.hasSuffix(".rotary_emb.inv_freq")
    }
}
