import AttnCheckpoint
import AttnKernels

/// One post-LayerNorm encoder layer as BERT and MPNet compute it:
/// `x = LN(x + W_o·attn(W_q·x, W_k·x, W_v·x))`, then `x = LN(x + W_out·act(W_in·x))`,
/// every projection with a bias. The two families differ only in tensor
/// names (``Names``) and in what they add to the scores.
struct EncoderLayer: Sendable {
    var query, key, value, output: WeightMatrix
    var queryBias, keyBias, valueBias, outputBias: FloatBuffer
    var attentionNormWeight, attentionNormBias: FloatBuffer
    var intermediate: WeightMatrix, intermediateBias: FloatBuffer, out: WeightMatrix, outBias: FloatBuffer
    var outputNormWeight, outputNormBias: FloatBuffer
    /// Measures what `output` makes of each head's values and outputs (value-weighted attention).
    var headNorms: HeadNormFactors

    /// Module names inside a layer (each followed by `.weight` and `.bias`).
    struct Names {
        var query, key, value, output, attentionNorm: String
        static let bert = Names(
            query: "attention.self.query", key: "attention.self.key", value: "attention.self.value",
            output: "attention.output.dense", attentionNorm: "attention.output.LayerNorm")
        static let mpnet = Names(
            query: "attention.attn.q", key: "attention.attn.k", value: "attention.attn.v", output: "attention.attn.o",
            attentionNorm: "attention.LayerNorm")
        /// The feed-forward modules, named alike in both.
        static let intermediate = "intermediate.dense", out = "output.dense", outputNorm = "output.LayerNorm"
    }

    /// Reads the layer under `prefix` (`encoder.layer.N.`) of width `d`, MLP width `inner`, `heads` heads.
    init(_ loader: WeightLoader, prefix p: String, names: Names, d: Int, inner: Int, heads: Int) throws {
        func weight(_ name: String, _ shape: [Int]) throws -> WeightMatrix {
            try loader.matrix(p + name + ".weight", shape)
        }
        func vector(_ name: String, _ width: Int, kind: String = "bias") throws -> FloatBuffer {
            try loader.load(p + name + "." + kind, [width])
        }
        query = try weight(names.query, [d, d])
        key = try weight(names.key, [d, d])
        value = try weight(names.value, [d, d])
        output = try weight(names.output, [d, d])
        queryBias = try vector(names.query, d)
        keyBias = try vector(names.key, d)
        valueBias = try vector(names.value, d)
        outputBias = try vector(names.output, d)
        attentionNormWeight = try vector(names.attentionNorm, d, kind: "weight")
        attentionNormBias = try vector(names.attentionNorm, d)
        intermediate = try weight(Names.intermediate, [inner, d])
        intermediateBias = try vector(Names.intermediate, inner)
        out = try weight(Names.out, [d, inner])
        outBias = try vector(Names.out, d)
        outputNormWeight = try vector(Names.outputNorm, d, kind: "weight")
        outputNormBias = try vector(Names.outputNorm, d)
        headNorms = HeadNormFactors(.linear(output), heads: heads, headDim: d / heads)
    }

    /// `q, k, v = W·x + b` straight from the residual stream.
    func attentionInputs<Tables>(_ pass: ForwardPass<Tables>, width D: Int) {
        let x = pass[.residual]
        linear(x, query, queryBias, batch: pass.batch, inputs: D, outputs: D, into: pass[.queries])
        linear(x, key, keyBias, batch: pass.batch, inputs: D, outputs: D, into: pass[.keys])
        linear(x, value, valueBias, batch: pass.batch, inputs: D, outputs: D, into: pass[.values])
    }

    /// `x = LN(x + W_o·U)`, then `x = LN(x + W_out·act(W_in·x))`.
    func finish<Tables>(
        _ pass: ForwardPass<Tables>, width D: Int, inner: Int, eps: Float, activation: Kernels.Activation
    ) {
        let t = pass.rows, x = pass[.residual], projected = pass[.projected], hidden = pass[.hidden]
        linear(pass[.attended], output, outputBias, batch: pass.batch, inputs: D, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
        Kernels.layerNorm(
            x.pointer, weight: attentionNormWeight.pointer, bias: attentionNormBias.pointer, eps: eps, rows: t,
            width: D,
            into: x.pointer)
        linear(x, intermediate, intermediateBias, batch: pass.batch, inputs: D, outputs: inner, into: hidden)
        Kernels.activate(hidden.pointer, count: t * inner, activation)
        linear(hidden, out, outBias, batch: pass.batch, inputs: inner, outputs: D, into: projected)
        Kernels.add(projected.pointer, into: x.pointer, count: t * D)
        Kernels.layerNorm(
            x.pointer, weight: outputNormWeight.pointer, bias: outputNormBias.pointer, eps: eps, rows: t, width: D,
            into: x.pointer)
    }

    /// The buffers ``attentionInputs(_:width:)`` and ``finish(_:width:inner:eps:activation:)`` use.
    static func activations(width D: Int, inner: Int) -> ActivationPlan {
        ActivationPlan([.residual: D, .projected: D, .queries: D, .keys: D, .values: D, .attended: D, .hidden: inner])
    }
}
