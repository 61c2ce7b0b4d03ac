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
struct Gemma3: TransformerModel {
    let description: ModelDescription
    private let eps: Float
    /// Multiplies every embedding row: `√hidden_size` rounded to float32.
    private let embeddingScale: Float
    /// Multiplies `q·k` before the softmax: `query_pre_attn_scalar^-0.5` in float32.
    private let scoreScale: Float
    /// RoPE inverse frequencies `[headDim/2]` of the global and the sliding blocks.
    private let globalFrequencies, slidingFrequencies: [Float]
    private let embeddings: WeightMatrix
    private let blocks: [Block]

    /// One block's weights: `Linear` weights `[out, in]`, left in the file; norm
    /// weights hold `1 + w` (computed once in float32, as HF computes it per
    /// call, after taking off what a GGUF file stores on top of `w`).
    private struct Block: Sendable {
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
        scoreScale = Float(1 / config.queryPreAttentionScalar.squareRoot())
        (globalFrequencies, slidingFrequencies) = ropes
        description = ModelDescription(
            family: "gemma3", variant: "transformer", layers: config.layers, heads: heads, kvHeads: kvHeads,
            headDim: headDim, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.maxPositions, causal: true, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers,
            blockWindows: windows
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
        let qWidth = H * hd, kvWidth = G * hd, longest = prompts.map(\.count).max() ?? 0
        let globalRope = Kernels.ropeTables(positions: longest, inverseFrequencies: globalFrequencies)
        let slidingRope = Kernels.ropeTables(positions: longest, inverseFrequencies: slidingFrequencies)

        // Scratch reused by every block.
        let x = FloatBuffer(count: t * D), normed = FloatBuffer(count: t * D), projected = FloatBuffer(count: t * D)
        let q = FloatBuffer(count: t * qWidth), keys = FloatBuffer(count: t * kvWidth), values = FloatBuffer(count: t * kvWidth)
        let capturedValues = FloatBuffer(count: t * kvWidth)
        let attended = FloatBuffer(count: t * qWidth)
        // Each prompt's whole [H, T, T] map, only once its observer asks for it.
        var maps = [FloatBuffer?](repeating: nil, count: prompts.count)
        let gate = FloatBuffer(count: t * inner), up = FloatBuffer(count: t * inner)

        for (s, rows) in batch.prompts.enumerated() {
            for (position, id) in prompts[s].enumerated() {
                let row = x.pointer + (rows.lowerBound + position) * D
                embeddings.decode(row: id, into: row)
                for c in 0..<D { row[c] *= embeddingScale }
            }
            try observers[s].embeddings(HiddenStateView(index: 0, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D)))
        }

        for (l, block) in blocks.enumerated() {
            let rope = block.window == nil ? globalRope : slidingRope
            Kernels.rmsNorm(x.pointer, weight: block.inputNorm.pointer, eps: eps, rows: t, width: D, into: normed.pointer)
            linear(normed, block.q, nil, batch: batch, inputs: D, outputs: qWidth, into: q)
            linear(normed, block.k, nil, batch: batch, inputs: D, outputs: kvWidth, into: keys)
            linear(normed, block.v, nil, batch: batch, inputs: D, outputs: kvWidth, into: values)
            Kernels.rmsNorm(q.pointer, weight: block.qNorm.pointer, eps: eps, rows: t * H, width: hd, into: q.pointer)
            Kernels.rmsNorm(keys.pointer, weight: block.kNorm.pointer, eps: eps, rows: t * G, width: hd, into: keys.pointer)
            var attention: [UnsafeBufferPointer<Float>?] = []
            for (s, rows) in batch.prompts.enumerated() {
                let first = rows.lowerBound, shape = Attention.Shape(
                    tokens: rows.count, heads: H, kvHeads: G, headDim: hd, causal: true, window: block.window, scale: scoreScale
                )
                Kernels.rope(q.pointer + first * qWidth, tokens: rows.count, heads: H, headDim: hd, cos: rope.cos, sin: rope.sin)
                Kernels.rope(keys.pointer + first * kvWidth, tokens: rows.count, heads: G, headDim: hd, cos: rope.cos, sin: rope.sin)
                attention.append(Attention.run(
                    shape, q: q.pointer + first * qWidth, qStride: qWidth, k: keys.pointer + first * kvWidth, kStride: kvWidth,
                    v: values.pointer + first * kvWidth, vStride: kvWidth, output: attended.pointer + first * qWidth,
                    request: try observers[s].attention(shape.layout(layer: l), of: description), norms: block.headNorms, map: &maps[s]
                ))
            }
            linear(attended, block.o, nil, batch: batch, inputs: qWidth, outputs: D, into: projected)
            Kernels.rmsNorm(projected.pointer, weight: block.postAttentionNorm.pointer, eps: eps, rows: t, width: D, into: projected.pointer)
            Kernels.add(projected.pointer, into: x.pointer, count: t * D)

            Kernels.rmsNorm(x.pointer, weight: block.preFeedForwardNorm.pointer, eps: eps, rows: t, width: D, into: normed.pointer)
            linear(normed, block.gate, nil, batch: batch, inputs: D, outputs: inner, into: gate)
            linear(normed, block.up, nil, batch: batch, inputs: D, outputs: inner, into: up)
            Kernels.activate(gate.pointer, count: t * inner, .geluTanh)
            for i in 0..<(t * inner) { gate.pointer[i] *= up.pointer[i] }
            linear(gate, block.down, nil, batch: batch, inputs: inner, outputs: D, into: projected)
            Kernels.rmsNorm(projected.pointer, weight: block.postFeedForwardNorm.pointer, eps: eps, rows: t, width: D, into: projected.pointer)
            Kernels.add(projected.pointer, into: x.pointer, count: t * D)

            for (s, rows) in batch.prompts.enumerated() {
                let first = rows.lowerBound
                Kernels.splitHeads(values.pointer + first * kvWidth, tokens: rows.count, groups: G, width: hd, into: capturedValues.pointer + first * kvWidth)
                try observers[s].block(BlockCapture(
                    layer: l, tokenCount: rows.count, heads: H, kvHeads: G, headDim: hd, causal: true, window: block.window,
                    attention: attention[s], values: capturedValues.rows(rows, width: kvWidth),
                    hidden: HiddenStateView(index: l + 1, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D))
                ))
            }
        }
    }
}
