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
                o: try loader.matrix(a + "o_proj.weight", [d, heads * headDim]),
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
            slidingWindow: windows.lazy.compactMap { $0 }.first, slidingBlocks: windows.filter { $0 != nil }.count
        )
    }

    func run<Observer: ProbeObserver>(tokens: [Int], observer: inout Observer) throws {
        try validate(tokens: tokens)
        let t = tokens.count, D = description.hiddenSize, inner = description.intermediateSize
        let H = description.heads, G = description.kvHeads, hd = description.headDim
        let qWidth = H * hd, kvWidth = G * hd
        let globalRope = Kernels.ropeTables(positions: t, inverseFrequencies: globalFrequencies)
        let slidingRope = Kernels.ropeTables(positions: t, inverseFrequencies: slidingFrequencies)

        // Scratch reused by every block.
        let x = FloatBuffer(count: t * D), normed = FloatBuffer(count: t * D), projected = FloatBuffer(count: t * D)
        let q = FloatBuffer(count: t * qWidth), keys = FloatBuffer(count: t * kvWidth), values = FloatBuffer(count: t * kvWidth)
        let capturedValues = FloatBuffer(count: t * kvWidth)
        let attended = FloatBuffer(count: t * qWidth)
        var maps: FloatBuffer? = nil  // the whole [H, T, T] map, only once an observer asks for it
        let gate = FloatBuffer(count: t * inner), up = FloatBuffer(count: t * inner)

        for (position, id) in tokens.enumerated() {
            let row = x.pointer + position * D
            embeddings.decode(row: id, into: row)
            for c in 0..<D { row[c] *= embeddingScale }
        }
        try observer.embeddings(HiddenStateView(index: 0, tokenCount: t, hiddenSize: D, values: x.buffer))

        for (l, block) in blocks.enumerated() {
            let rope = block.window == nil ? globalRope : slidingRope
            let shape = Attention.Shape(
                tokens: t, heads: H, kvHeads: G, headDim: hd, causal: true, window: block.window, scale: scoreScale
            )
            Kernels.rmsNorm(x.pointer, weight: block.inputNorm.pointer, eps: eps, rows: t, width: D, into: normed.pointer)
            linear(normed, block.q, nil, rows: t, inputs: D, outputs: qWidth, into: q)
            linear(normed, block.k, nil, rows: t, inputs: D, outputs: kvWidth, into: keys)
            linear(normed, block.v, nil, rows: t, inputs: D, outputs: kvWidth, into: values)
            Kernels.rmsNorm(q.pointer, weight: block.qNorm.pointer, eps: eps, rows: t * H, width: hd, into: q.pointer)
            Kernels.rmsNorm(keys.pointer, weight: block.kNorm.pointer, eps: eps, rows: t * G, width: hd, into: keys.pointer)
            Kernels.rope(q.pointer, tokens: t, heads: H, headDim: hd, cos: rope.cos, sin: rope.sin)
            Kernels.rope(keys.pointer, tokens: t, heads: G, headDim: hd, cos: rope.cos, sin: rope.sin)
            let map = Attention.run(
                shape, q: q.pointer, qStride: qWidth, k: keys.pointer, kStride: kvWidth, v: values.pointer, vStride: kvWidth,
                output: attended.pointer, request: try observer.attention(shape.layout(layer: l), of: description), map: &maps
            )
            linear(attended, block.o, nil, rows: t, inputs: qWidth, outputs: D, into: projected)
            Kernels.rmsNorm(projected.pointer, weight: block.postAttentionNorm.pointer, eps: eps, rows: t, width: D, into: projected.pointer)
            Kernels.add(projected.pointer, into: x.pointer, count: t * D)

            Kernels.rmsNorm(x.pointer, weight: block.preFeedForwardNorm.pointer, eps: eps, rows: t, width: D, into: normed.pointer)
            linear(normed, block.gate, nil, rows: t, inputs: D, outputs: inner, into: gate)
            linear(normed, block.up, nil, rows: t, inputs: D, outputs: inner, into: up)
            Kernels.activate(gate.pointer, count: t * inner, .geluTanh)
            for i in 0..<(t * inner) { gate.pointer[i] *= up.pointer[i] }
            linear(gate, block.down, nil, rows: t, inputs: inner, outputs: D, into: projected)
            Kernels.rmsNorm(projected.pointer, weight: block.postFeedForwardNorm.pointer, eps: eps, rows: t, width: D, into: projected.pointer)
            Kernels.add(projected.pointer, into: x.pointer, count: t * D)

            Kernels.splitHeads(values.pointer, tokens: t, groups: G, width: hd, into: capturedValues.pointer)
            try observer.block(BlockCapture(
                layer: l, tokenCount: t, heads: H, kvHeads: G, headDim: hd, causal: true, window: block.window,
                attention: map, values: capturedValues.buffer,
                hidden: HiddenStateView(index: l + 1, tokenCount: t, hiddenSize: D, values: x.buffer)
            ))
        }
    }
}
