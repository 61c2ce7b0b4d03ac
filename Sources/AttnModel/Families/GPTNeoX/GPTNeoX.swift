import AttnCheckpoint
import AttnKernels

/// A GPT-NeoX decoder (Pythia), a port of HF's `modeling_gpt_neox.py`
/// (transformers 5.24): LayerNorms with biases, one fused
/// `query_key_value` projection, RoPE over each head's first
/// `rotary_ndims` values only, exact-GELU MLP, and either the parallel
/// residual `x + attn(LN₁(x)) + mlp(LN₂(x))` or the sequential one.
///
/// HF's fused projection holds each head's `[q | k | v]` rows together
/// (`view(T, H, 3·d)`); llama.cpp's converter reorders them into
/// `[Q | K | V]` blocks (``GPTNeoX/FusedLayout``). Tensor names may carry
/// `gpt_neox.` (`GPTNeoXForCausalLM`) or not.
struct GPTNeoX: BlockArchitecture {
    let description: ModelDescription
    let blocks: [Block]
    let pool = ActivationPool()
    private let embeddings: WeightMatrix
    private let eps: Float
    private let activation: Kernels.Activation
    private let parallelResidual: Bool
    /// Values of each head RoPE rotates, and their inverse frequencies `[rotated/2]`.
    private let rotated: Int
    private let inverseFrequencies: [Float]
    private let layout: FusedLayout

    /// Where a head's query, key and value rows sit in the fused projection's output.
    enum FusedLayout: Sendable {
        /// HF: head `h`'s `q`, `k`, `v` at `h·3d`, `h·3d + d`, `h·3d + 2d`.
        case perHead
        /// llama.cpp: all queries, then all keys, then all values: head `h` at `h·d`, `D + h·d`, `2D + h·d`.
        case blocks
    }

    /// One block's weights; `Linear` weights `[out, in]`, left in the file.
    struct Block: Sendable {
        var inputNorm, inputNormBias, postNorm, postNormBias: FloatBuffer
        var qkv, dense, up, down: WeightMatrix
        var qkvBias, denseBias: FloatBuffer?
        var upBias, downBias: FloatBuffer
        /// Measures what `dense` makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
    }

    init(checkpoint: Checkpoint, variant: VariantRequest) throws {
        let path = checkpoint.url.path
        try variant.requirePlain(family: Self.name, path: path)
        let config = try WeightLoader.decodeConfig(GPTNeoXConfiguration.self, from: checkpoint)
        try config.validate(ConfigCheck(path: path))
        let rope = try config.rope(path: path)
        guard let activation = Kernels.Activation(configName: config.hiddenActName) else {
            throw ModelError(path: path, "config.json: hidden_act '\(config.hiddenActName)' is not supported")
        }
        let d = config.hiddenSize, heads = config.heads, headDim = d / heads, inner = config.intermediateSize
        let biased = config.attentionBias ?? true
        let prefix = checkpoint.contains("gpt_neox.embed_in.weight") ? "gpt_neox." : ""
        let loader = WeightLoader(checkpoint: checkpoint, prefix: prefix)
        embeddings = try loader.matrix("embed_in.weight", [config.vocabularySize, d])
        blocks = try (0..<config.layers).map { l in
            let p = "layers.\(l).", a = p + "attention.", m = p + "mlp."
            let dense = try loader.matrix(a + "dense.weight", [d, d])
            return Block(
                inputNorm: try loader.load(p + "input_layernorm.weight", [d]),
                inputNormBias: try loader.load(p + "input_layernorm.bias", [d]),
                postNorm: try loader.load(p + "post_attention_layernorm.weight", [d]),
                postNormBias: try loader.load(p + "post_attention_layernorm.bias", [d]),
                qkv: try loader.matrix(a + "query_key_value.weight", [3 * d, d]),
                dense: dense,
                up: try loader.matrix(m + "dense_h_to_4h.weight", [inner, d]),
                down: try loader.matrix(m + "dense_4h_to_h.weight", [d, inner]),
                qkvBias: biased ? try loader.load(a + "query_key_value.bias", [3 * d]) : nil,
                denseBias: biased ? try loader.load(a + "dense.bias", [d]) : nil,
                upBias: try loader.load(m + "dense_h_to_4h.bias", [inner]),
                downBias: try loader.load(m + "dense_4h_to_h.bias", [d]),
                headNorms: HeadNormFactors(.linear(dense), heads: heads, headDim: headDim)
            )
        }
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        eps = config.layerNormEps ?? 1e-5
        self.activation = activation
        parallelResidual = config.useParallelResidual ?? true
        rotated = rope.rotated
        inverseFrequencies = Kernels.ropeInverseFrequencies(headDim: rope.rotated, theta: rope.theta)
        layout = checkpoint.format == .gguf ? .blocks : .perHead
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: config.layers, heads: heads, kvHeads: heads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers
        )
    }

    /// Tensors a GPT-NeoX checkpoint may hold that the probe has no use for:
    /// the LM head, the final LayerNorm (capture stops before it), and the
    /// mask and rotary buffers older checkpoints store. Anything else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        name == "embed_out.weight" || name.hasPrefix("final_layer_norm.")
            || name.hasPrefix("gpt_neox.final_layer_norm.")
            || name.hasSuffix(".attention.bias") || name.hasSuffix(".attention.masked_bias")
            || name.hasSuffix(".rotary_emb.inv_freq")
    }

    func tables(longest: Int) -> RopeTables {
        RopeTables(positions: longest, inverseFrequencies: inverseFrequencies)
    }

    var activations: ActivationPlan {
        let D = description.hiddenSize
        return ActivationPlan([
            .residual: D, .normed: D, .projected: D, .fusedProjection: 3 * D,
            .queries: D, .keys: D, .values: D, .attended: D, .hidden: description.intermediateSize,
        ])
    }

    func embed(_ pass: ForwardPass<RopeTables>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        for (r, id) in pass.tokens.enumerated() { embeddings.decode(row: id, into: x + r * D) }
    }

    func window(_ block: Block) -> Int? { nil }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    /// `[q|k|v] = query_key_value(LN₁(x))` split per head, RoPE on each head's first `rotated` values.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, H = description.heads, hd = description.headDim
        let normed = pass[.normed], fused = pass[.fusedProjection]
        let q = pass[.queries], keys = pass[.keys], values = pass[.values]
        Kernels.layerNorm(
            pass[.residual].pointer, weight: block.inputNorm.pointer, bias: block.inputNormBias.pointer, eps: eps,
            rows: pass.rows, width: D, into: normed.pointer)
        linear(normed, block.qkv, block.qkvBias, batch: pass.batch, inputs: D, outputs: 3 * D, into: fused)
        for r in 0..<pass.rows {
            let row = fused.pointer + r * 3 * D
            for h in 0..<H {
                let (qAt, kAt, vAt) =
                    layout == .perHead
                    ? (3 * h * hd, 3 * h * hd + hd, 3 * h * hd + 2 * hd) : (h * hd, D + h * hd, 2 * D + h * hd)
                (q.pointer + r * D + h * hd).update(from: row + qAt, count: hd)
                (keys.pointer + r * D + h * hd).update(from: row + kAt, count: hd)
                (values.pointer + r * D + h * hd).update(from: row + vAt, count: hd)
            }
        }
        pass.tables.rotate(q, heads: H, headDim: hd, rotated: rotated, batch: pass.batch)
        pass.tables.rotate(keys, heads: H, headDim: hd, rotated: rotated, batch: pass.batch)
    }

    /// Parallel: `x = (mlp(LN₂(x)) + dense(U)) + x`; sequential: `x += dense(U)`, then `x = mlp(LN₂(x)) + x`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, inner = description.intermediateSize, t = pass.rows
        let x = pass[.residual], normed = pass[.normed], attention = pass[.projected], hidden = pass[.hidden]
        linear(pass[.attended], block.dense, block.denseBias, batch: pass.batch, inputs: D, outputs: D, into: attention)
        if !parallelResidual { Kernels.add(attention.pointer, into: x.pointer, count: t * D) }
        Kernels.layerNorm(
            x.pointer, weight: block.postNorm.pointer, bias: block.postNormBias.pointer, eps: eps, rows: t, width: D,
            into: normed.pointer)
        linear(normed, block.up, block.upBias, batch: pass.batch, inputs: D, outputs: inner, into: hidden)
        Kernels.activate(hidden.pointer, count: t * inner, activation)
        let mlp = normed  // LN₂(x) is consumed: the MLP's output goes where it was
        linear(hidden, block.down, block.downBias, batch: pass.batch, inputs: inner, outputs: D, into: mlp)
        if parallelResidual {
            for i in 0..<(t * D) { x.pointer[i] = (mlp.pointer[i] + attention.pointer[i]) + x.pointer[i] }
        } else {
            Kernels.add(mlp.pointer, into: x.pointer, count: t * D)
        }
    }
}
