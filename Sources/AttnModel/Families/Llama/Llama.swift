import AttnCheckpoint
import AttnKernels

/// A Llama-family decoder: RMSNorm, half-split RoPE (plain or Llama 3
/// scaled), SwiGLU, grouped-query attention, Mistral's, Qwen2's and Phi-3's
/// sliding windows, Qwen2's q/k/v biases, Qwen3's per-head q/k norms,
/// Phi-3's fused projections (split by ``Phi3Weights``), and the paper's
/// value-residual, shared-value, NeuTRENO, DenseFormer and cross-layer-KV variants.
///
/// Weights use HF names (`model.layers.N.self_attn.q_proj.weight`, …), as
/// HF folders store them and as `Checkpoint` presents a GGUF file. The LM
/// head is never needed: the probe stops at the last block.
struct Llama: TransformerModel {
    let description: ModelDescription
    private let config: LlamaConfiguration
    private let variant: LlamaVariant
    /// RoPE's inverse frequencies `[headDim/2]`.
    private let inverseFrequencies: [Float]
    private let embeddings: WeightMatrix
    private let blocks: [Block]

    /// One block's weights; `Linear` weights are `[out, in]`, left in the file.
    private struct Block: Sendable {
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
            throw ModelError(path: path, "config.json: \(heads) heads, \(kvHeads) kv heads, head size \(headDim) do not fit together")
        }
        let d = config.hiddenSize, inner = config.intermediateSize
        let loader = WeightLoader(checkpoint: checkpoint)
        if config.modelType == "phi3" {
            try Phi3Weights.split(
                loader, layers: config.layers, heads: heads, kvHeads: kvHeads, headDim: headDim, hiddenSize: d, intermediateSize: inner
            )
        }
        let headNorms = config.modelType == "qwen3"
        let names = (0..<config.layers).map { "model.layers.\($0)." }
        let hasKey = names.map { loader.contains($0 + "self_attn.k_proj.weight") }
        let hasValue = names.map { loader.contains($0 + "self_attn.v_proj.weight") }
        self.variant = try LlamaVariant.resolve(
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
            family: Self.name, variant: variant.name, layers: config.layers, heads: heads, kvHeads: kvHeads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: hasKey.filter { $0 }.count, valueBlocks: hasValue.filter { $0 }.count,
            blockWindows: windows, counterfactual: variant.counterfactual
        )
    }

    func run<Observer: ProbeObserver>(tokens: [Int], observer: inout Observer) throws {
        var observers = [observer]
        defer { observer = observers[0] }
        try run(batch: [tokens], observers: &observers)
    }

    /// The forward pass of every prompt of `batch` at once: rows stacked
    /// (``Batch``), each prompt's RoPE from position 0 and its own attention.
    func run<Observer: ProbeObserver>(batch prompts: [[Int]], observers: inout [Observer]) throws {
        precondition(prompts.count == observers.count, "\(prompts.count) prompts for \(observers.count) observers")
        try validate(batch: prompts)
        let batch = Batch(lengths: prompts.map(\.count))
        let t = batch.rows, D = description.hiddenSize, inner = description.intermediateSize
        let H = description.heads, G = description.kvHeads, hd = description.headDim
        let qWidth = H * hd, kvWidth = G * hd
        let rope = Kernels.ropeTables(positions: prompts.map(\.count).max() ?? 0, inverseFrequencies: inverseFrequencies)

        // Scratch reused by every block.
        let x = FloatBuffer(count: t * D), normed = FloatBuffer(count: t * D), projected = FloatBuffer(count: t * D)
        let q = FloatBuffer(count: t * qWidth), keys = FloatBuffer(count: t * kvWidth)
        let rawValues = FloatBuffer(count: t * kvWidth), firstValues = FloatBuffer(count: t * kvWidth)
        let mixedValues = FloatBuffer(count: t * kvWidth), capturedValues = FloatBuffer(count: t * kvWidth)
        let attended = FloatBuffer(count: t * qWidth)
        // Each prompt's whole [H, T, T] map, only once its observer asks for it.
        var maps = [FloatBuffer?](repeating: nil, count: prompts.count)
        let gate = FloatBuffer(count: t * inner), up = FloatBuffer(count: t * inner)
        // DenseFormer keeps every block's raw output X_0 … X_L.
        let outputs = variant.denseWeights.map { _ in FloatBuffer(count: (blocks.count + 1) * t * D) }

        for (s, rows) in batch.prompts.enumerated() {
            for (position, id) in prompts[s].enumerated() {
                embeddings.decode(row: id, into: x.pointer + (rows.lowerBound + position) * D)
            }
        }
        outputs?.pointer.update(from: x.pointer, count: t * D)
        for (s, rows) in batch.prompts.enumerated() {
            try observers[s].embeddings(HiddenStateView(index: 0, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D)))
        }

        for (l, block) in blocks.enumerated() {
            Kernels.rmsNorm(x.pointer, weight: block.inputNorm.pointer, eps: config.rmsNormEps, rows: t, width: D, into: normed.pointer)
            linear(normed, block.q, block.qBias, batch: batch, inputs: D, outputs: qWidth, into: q)
            if let qNorm = block.qNorm {
                Kernels.rmsNorm(q.pointer, weight: qNorm.pointer, eps: config.rmsNormEps, rows: t * H, width: hd, into: q.pointer)
            }
            for rows in batch.prompts {
                Kernels.rope(q.pointer + rows.lowerBound * qWidth, tokens: rows.count, heads: H, headDim: hd, cos: rope.cos, sin: rope.sin)
            }
            if let k = block.k {
                linear(normed, k, block.kBias, batch: batch, inputs: D, outputs: kvWidth, into: keys)
                if let kNorm = block.kNorm {
                    Kernels.rmsNorm(keys.pointer, weight: kNorm.pointer, eps: config.rmsNormEps, rows: t * G, width: hd, into: keys.pointer)
                }
                for rows in batch.prompts {
                    Kernels.rope(keys.pointer + rows.lowerBound * kvWidth, tokens: rows.count, heads: G, headDim: hd, cos: rope.cos, sin: rope.sin)
                }
            }
            if let v = block.v {
                linear(normed, v, block.vBias, batch: batch, inputs: D, outputs: kvWidth, into: rawValues)
                if l == 0 { firstValues.pointer.update(from: rawValues.pointer, count: t * kvWidth) }
            }
            var consumed = rawValues
            if let mix = variant.mix[l] {
                for i in 0..<(t * kvWidth) {
                    mixedValues.pointer[i] = mix.current * rawValues.pointer[i] + mix.first * firstValues.pointer[i]
                }
                consumed = mixedValues
            }
            var attention: [UnsafeBufferPointer<Float>?] = []
            for (s, rows) in batch.prompts.enumerated() {
                let shape = Attention.Shape(
                    tokens: rows.count, heads: H, kvHeads: G, headDim: hd, causal: true, window: block.window, scale: 1 / Float(hd).squareRoot()
                )
                let first = rows.lowerBound
                attention.append(Attention.run(
                    shape, q: q.pointer + first * qWidth, qStride: qWidth, k: keys.pointer + first * kvWidth, kStride: kvWidth,
                    v: consumed.pointer + first * kvWidth, vStride: kvWidth, output: attended.pointer + first * qWidth,
                    request: try observers[s].attention(shape.layout(layer: l), of: description), norms: block.headNorms, map: &maps[s]
                ))
            }
            if let lambda = variant.correction[l] {  // kv heads = heads: values and outputs share a layout
                for i in 0..<(t * qWidth) {
                    attended.pointer[i] += lambda * (firstValues.pointer[i] - consumed.pointer[i])
                }
            }
            linear(attended, block.o, block.oBias, batch: batch, inputs: qWidth, outputs: D, into: projected)
            Kernels.add(projected.pointer, into: x.pointer, count: t * D)

            Kernels.rmsNorm(x.pointer, weight: block.postNorm.pointer, eps: config.rmsNormEps, rows: t, width: D, into: normed.pointer)
            linear(normed, block.gate, block.gateBias, batch: batch, inputs: D, outputs: inner, into: gate)
            linear(normed, block.up, block.upBias, batch: batch, inputs: D, outputs: inner, into: up)
            Kernels.siluGate(gate.pointer, up: up.pointer, count: t * inner)
            linear(gate, block.down, block.downBias, batch: batch, inputs: inner, outputs: D, into: projected)
            Kernels.add(projected.pointer, into: x.pointer, count: t * D)

            if let outputs, let weights = variant.denseWeights?[l] {
                averageDepth(x: x, outputs: outputs, weights: weights, after: l, count: t * D)
            }
            for (s, rows) in batch.prompts.enumerated() {
                let first = rows.lowerBound
                Kernels.splitHeads(consumed.pointer + first * kvWidth, tokens: rows.count, groups: G, width: hd, into: capturedValues.pointer + first * kvWidth)
                try observers[s].block(BlockCapture(
                    layer: l, tokenCount: rows.count, heads: H, kvHeads: G, headDim: hd, causal: true, window: block.window,
                    attention: attention[s], values: capturedValues.rows(rows, width: kvWidth),
                    hidden: HiddenStateView(index: l + 1, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D))
                ))
            }
        }
    }

    /// Tensors a Llama checkpoint may hold that the probe has no use for:
    /// the LM head and the final norm (capture stops at the last block's
    /// output, before that norm, as the HF hooks of the golden data do) and
    /// cached rotary frequencies. Anything else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        name == "lm_head.weight" || name == "model.norm.weight" || name.hasSuffix(".rotary_emb.inv_freq")
    }

    /// DenseFormer's depth-weighted average: stores `x` as `X_{l+1}`, then
    /// replaces it with `Σ_{j=0…l+1} weights[j]·X_j`.
    private func averageDepth(x: FloatBuffer, outputs: FloatBuffer, weights: [Float], after l: Int, count: Int) {
        (outputs.pointer + (l + 1) * count).update(from: x.pointer, count: count)
        x.pointer.update(repeating: 0, count: count)
        for (j, weight) in weights.enumerated() {
            let source = outputs.pointer + j * count
            for i in 0..<count { x.pointer[i] += weight * source[i] }
        }
    }
}
