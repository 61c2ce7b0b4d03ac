import AttnCheckpoint
import AttnKernels
import Foundation

/// A nanochat GPT (karpathy/nanochat `nanochat/gpt.py`): untied `wte`,
/// parameter-free RMSNorm, the smear gate, per-block `resid_lambdas`/
/// `x0_lambdas` mixes, half-split RoPE (θ 100,000, rotating by −θ) followed
/// by q/k RMSNorm and a ×1.2 scale on both, grouped-query attention over
/// `window_pattern`'s sliding windows, value embeddings added to the values
/// of alternating blocks through `3·sigmoid(ve_gate(x̂[:, :12]))` per kv
/// head, and a relu² MLP.
///
/// Captured as nanochat.md sets out: `h[0]` is block 0's input after its
/// lambda mix, `h[l+1]` block `l`'s output; the values are `v` after the
/// value embedding is added (what attention consumes). Backout, the final
/// norm and the LM head come after the last block and change no capture, so
/// `backout_lambda` and `lm_head.weight` are not read.
struct Nanochat: BlockArchitecture {
    let description: ModelDescription
    private let config: NanochatConfiguration
    private let inverseFrequencies: [Float]
    private let embeddings: WeightMatrix
    private let residLambdas, x0Lambdas: [Float]
    /// The smear gate's weights `[24]` and its scale.
    private let smearGate: [Float]
    private let smearLambda: Float
    let blocks: [Block]
    let pool = ActivationPool()
    /// Weights of the parameter-free RMSNorms, `[max(D, d)]` ones.
    private let ones: [Float]

    /// One block's weights; `Linear` weights are `[out, in]`, left in the file.
    struct Block: Sendable {
        var q, k, v, o, up, down: WeightMatrix
        /// Measures what the output projection makes of each head's values and outputs (value-weighted attention).
        var headNorms: HeadNormFactors
        /// The value embedding `[V_pad, G·d]` and its gate `[G, 12]`, on value-embedding blocks.
        var valueEmbedding: WeightMatrix?
        var valueGate: [Float]?
        /// attnscope's window (`w + 1` keys of nanochat's left window `w`), nil when it spans the context.
        var window: Int?
    }

    /// RMSNorm's epsilon: `F.rms_norm` without one uses the float32 machine epsilon.
    static let normEpsilon = Float.ulpOfOne
    /// The factor nanochat multiplies normed queries and keys by.
    static let qkScale: Float = 1.2
    /// nanochat's RoPE base.
    static let ropeTheta = 100_000.0

    init(checkpoint: Checkpoint, variant request: VariantRequest) throws {
        let path = checkpoint.url.path
        let config = try WeightLoader.decodeConfig(NanochatConfiguration.self, from: checkpoint)
        try config.validate(path: path)
        try request.requirePlain(family: Self.name, path: path)
        let d = config.hiddenSize, L = config.layers, hd = config.headDim
        let H = config.heads, G = config.kvHeads, V = config.paddedVocabularySize, inner = 4 * d
        let loader = WeightLoader(checkpoint: checkpoint)
        embeddings = try loader.matrix("transformer.wte.weight", [V, d])
        residLambdas =
            loader.contains("resid_lambdas") ? try loader.floats("resid_lambdas", [L]) : [Float](repeating: 1, count: L)
        x0Lambdas =
            loader.contains("x0_lambdas") ? try loader.floats("x0_lambdas", [L]) : [Float](repeating: 0, count: L)
        smearGate = try loader.floats("smear_gate.weight", [1, NanochatConfiguration.smearChannels])
        smearLambda = try loader.floats("smear_lambda", [1])[0]
        let windows = config.leftWindows
        blocks = try (0..<L).map { l in
            let a = "transformer.h.\(l).attn.", m = "transformer.h.\(l).mlp."
            let ve = config.hasValueEmbedding(l)
            let o = try loader.matrix(a + "c_proj.weight", [d, H * hd])
            return Block(
                q: try loader.matrix(a + "c_q.weight", [H * hd, d]),
                k: try loader.matrix(a + "c_k.weight", [G * hd, d]),
                v: try loader.matrix(a + "c_v.weight", [G * hd, d]),
                o: o,
                up: try loader.matrix(m + "c_fc.weight", [inner, d]),
                down: try loader.matrix(m + "c_proj.weight", [d, inner]),
                headNorms: HeadNormFactors(.linear(o), heads: H, headDim: hd),
                valueEmbedding: ve ? try loader.matrix("value_embeds.\(l).weight", [V, G * hd]) : nil,
                valueGate: ve ? try loader.floats(a + "ve_gate.weight", [G, NanochatConfiguration.gateChannels]) : nil,
                window: windows[l] < config.sequenceLength ? windows[l] + 1 : nil
            )
        }
        try loader.requireAllConsumed(family: Self.name) { $0 == "lm_head.weight" || $0 == "backout_lambda" }
        self.config = config
        ones = [Float](repeating: 1, count: max(d, hd))
        inverseFrequencies = Kernels.ropeInverseFrequencies(headDim: hd, theta: Self.ropeTheta)
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: L, heads: H, kvHeads: G, headDim: hd, hiddenSize: d,
            intermediateSize: inner, vocabularySize: config.vocabularySize, maxPositions: config.sequenceLength,
            causal: true, parameters: checkpoint.parameterCount, keyBlocks: L, valueBlocks: L,
            blockWindows: blocks.map(\.window)
        )
    }

    /// RoPE's tables, rotating by −θ as nanochat does.
    func tables(longest: Int) -> RopeTables {
        RopeTables(positions: longest, inverseFrequencies: inverseFrequencies).reversed()
    }

    var activations: ActivationPlan {
        let d = description, D = d.hiddenSize, qWidth = d.heads * d.headDim, kvWidth = d.kvHeads * d.headDim
        return ActivationPlan([
            .residual: D, .firstResidual: D, .normed: D, .projected: D, .queries: qWidth, .keys: kvWidth,
            .values: kvWidth,
            .attended: qWidth, .hidden: d.intermediateSize, .valueGates: d.kvHeads, .valueGateNorms: d.kvHeads,
        ])
    }

    /// `x0 = smear(RMSNorm(wte(ids)))` per prompt, then block 0's lambda mix (so `h[0]` is block 0's input).
    func embed(_ pass: ForwardPass<RopeTables>) {
        let x = pass[.residual], D = description.hiddenSize
        for (r, id) in pass.tokens.enumerated() { embeddings.decode(row: id, into: x.pointer + r * D) }
        Kernels.rmsNorm(x.pointer, weight: ones, eps: Self.normEpsilon, rows: pass.rows, width: D, into: x.pointer)
        for rows in pass.batch.prompts { smear(x.pointer + rows.lowerBound * D, tokens: rows.count, width: D) }
        pass[.firstResidual].pointer.update(from: x.pointer, count: pass.rows * D)
        mixResidual(layer: 0, pass)
    }

    /// Blocks after the first start with their lambda mix.
    func enter(layer: Int, _ pass: ForwardPass<RopeTables>) {
        if layer > 0 { mixResidual(layer: layer, pass) }
    }

    /// `x = resid_lambdas[l]·x + x0_lambdas[l]·x0`.
    private func mixResidual(layer l: Int, _ pass: ForwardPass<RopeTables>) {
        let x = pass[.residual].pointer, x0 = pass[.firstResidual].pointer
        for i in 0..<(pass.rows * description.hiddenSize) { x[i] = residLambdas[l] * x[i] + x0Lambdas[l] * x0[i] }
    }

    func window(_ block: Block) -> Int? { block.window }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    /// `q, k, v` from `RMSNorm(x)`, the value embedding added to `v`, then
    /// RoPE, q/k RMSNorm and the ×1.2 scale.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, H = description.heads, G = description.kvHeads, hd = description.headDim
        let t = pass.rows, normed = pass[.normed], q = pass[.queries], keys = pass[.keys], values = pass[.values]
        Kernels.rmsNorm(
            pass[.residual].pointer, weight: ones, eps: Self.normEpsilon, rows: t, width: D, into: normed.pointer)
        linear(normed, block.q, nil, batch: pass.batch, inputs: D, outputs: H * hd, into: q)
        linear(normed, block.k, nil, batch: pass.batch, inputs: D, outputs: G * hd, into: keys)
        linear(normed, block.v, nil, batch: pass.batch, inputs: D, outputs: G * hd, into: values)
        if let table = block.valueEmbedding, let gate = block.valueGate {
            addValueEmbedding(
                values, table: table, gate: gate, normed: normed, tokens: pass.tokens,
                gates: pass[.valueGates], gatedNorms: pass[.valueGateNorms])
        }
        pass.tables.rotate(q, heads: H, headDim: hd, batch: pass.batch)
        pass.tables.rotate(keys, heads: G, headDim: hd, batch: pass.batch)
        Kernels.rmsNorm(q.pointer, weight: ones, eps: Self.normEpsilon, rows: t * H, width: hd, into: q.pointer)
        Kernels.rmsNorm(keys.pointer, weight: ones, eps: Self.normEpsilon, rows: t * G, width: hd, into: keys.pointer)
        for i in 0..<(t * H * hd) { q.pointer[i] *= Self.qkScale }
        for i in 0..<(t * G * hd) { keys.pointer[i] *= Self.qkScale }
    }

    /// `x += c_proj(U)`, then `x += c_proj(relu(c_fc(RMSNorm(x)))²)`.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<RopeTables>) {
        let D = description.hiddenSize, inner = description.intermediateSize,
            qWidth = description.heads * description.headDim
        let t = pass.rows, x = pass[.residual], normed = pass[.normed], projected = pass[.projected],
            hidden = pass[.hidden]
        linear(pass[.attended], block.o, nil, batch: pass.batch, inputs: qWidth, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
        Kernels.rmsNorm(x.pointer, weight: ones, eps: Self.normEpsilon, rows: t, width: D, into: normed.pointer)
        linear(normed, block.up, nil, batch: pass.batch, inputs: D, outputs: inner, into: hidden)
        for i in 0..<(t * inner) {
            let r = max(hidden.pointer[i], 0)
            hidden.pointer[i] = r * r
        }
        linear(hidden, block.down, nil, batch: pass.batch, inputs: inner, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
    }

    /// The gates and added norms of a value-embedding block's rows `rows`.
    func valueEmbedding(_ block: Block, _ pass: ForwardPass<RopeTables>, rows: Range<Int>) -> ValueEmbeddingRows? {
        guard block.valueEmbedding != nil else { return nil }
        let G = description.kvHeads
        return ValueEmbeddingRows(
            gates: pass[.valueGates].rows(rows, width: G), norms: pass[.valueGateNorms].rows(rows, width: G))
    }

    /// The smear gate, in place on the normed embeddings `x[T, D]`: token
    /// `t ≥ 1` gains `smear_lambda · sigmoid(smear_gate · x_t[:24]) · x_{t−1}`
    /// (the previous token's embedding before its own smear).
    private func smear(_ x: UnsafeMutablePointer<Float>, tokens t: Int, width D: Int) {
        for position in stride(from: t - 1, through: 1, by: -1) {
            let row = x + position * D, previous = row - D
            var dot: Float = 0
            for c in 0..<NanochatConfiguration.smearChannels { dot += smearGate[c] * row[c] }
            let gate = smearLambda * Self.sigmoid(dot)
            for c in 0..<D { row[c] += gate * previous[c] }
        }
    }

    /// `v[t, g] += 3·sigmoid(gate[g] · x̂_t[:12]) · table[id_t][g]` for every
    /// token and kv head, with `x̂` the block's normed input; each gate goes
    /// to `gates[t·G + g]` and the norm of what it added to `gatedNorms[t·G + g]`.
    private func addValueEmbedding(
        _ values: FloatBuffer, table: WeightMatrix, gate: [Float], normed: FloatBuffer,
        tokens: [Int], gates: FloatBuffer, gatedNorms: FloatBuffer
    ) {
        let D = description.hiddenSize, G = description.kvHeads, hd = description.headDim
        let channels = NanochatConfiguration.gateChannels
        var row = [Float](repeating: 0, count: G * hd)
        for (position, id) in tokens.enumerated() {
            row.withUnsafeMutableBufferPointer { table.decode(row: id, into: $0.baseAddress!) }
            let input = normed.pointer + position * D
            for g in 0..<G {
                var dot: Float = 0
                for c in 0..<channels { dot += gate[g * channels + c] * input[c] }
                let scale = 3 * Self.sigmoid(dot)
                let target = values.pointer + position * G * hd + g * hd
                var squares = 0.0
                for i in 0..<hd {
                    let added = scale * row[g * hd + i]
                    target[i] += added
                    squares += Double(added) * Double(added)
                }
                gates.pointer[position * G + g] = scale
                gatedNorms.pointer[position * G + g] = Float(squares.squareRoot())
            }
        }
    }

    static func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
}
