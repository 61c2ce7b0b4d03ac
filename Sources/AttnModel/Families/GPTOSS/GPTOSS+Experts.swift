import AttnCheckpoint
import AttnKernels

/// A GPT-OSS block's experts as they are stored, left in the file.
///
/// HF keeps gate and up interleaved in one `in × out` matrix per expert;
/// llama.cpp's converter splits them and stores every expert matrix as
/// `Linear` rows (`out × in`). Both are read as they are: the products use
/// the stored orientation, and the gate/up activations keep the stored order.
enum ExpertWeights: Sendable {
    /// HF: `gate_up_proj` `[E, D, 2I]` (expert `e` at rows `e·D ..< (e+1)·D`,
    /// gate in even columns, up in odd ones) and `down_proj` `[E, I, D]`.
    case interleaved(gateUp: WeightMatrix, down: WeightMatrix)
    /// llama.cpp: `gate_proj` and `up_proj` `[E, I, D]` and `down_proj` `[E, D, I]`, each expert's rows its outputs.
    case split(gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix)

    /// Reads the experts under `prefix` (`model.layers.N.mlp.experts.`).
    init(
        _ loader: WeightLoader, prefix p: String, experts E: Int, hidden D: Int, inner I: Int, format: CheckpointFormat
    ) throws {
        if format == .gguf {
            self = .split(
                gate: try loader.stackedMatrix(p + "gate_proj", [E, I, D]),
                up: try loader.stackedMatrix(p + "up_proj", [E, I, D]),
                down: try loader.stackedMatrix(p + "down_proj", [E, D, I]))
        } else {
            self = .interleaved(
                gateUp: try loader.stackedMatrix(p + "gate_up_proj", [E, D, 2 * I]),
                down: try loader.stackedMatrix(p + "down_proj", [E, I, D]))
        }
    }

    /// The gate/up biases `[E, 2I]` in the order the hidden activations take:
    /// interleaved for HF, `[gate | up]` per expert for llama.cpp.
    static func gateUpBias(
        _ loader: WeightLoader, prefix p: String, experts E: Int, inner I: Int, format: CheckpointFormat
    ) throws
        -> FloatBuffer
    {
        guard format == .gguf else { return try loader.load(p + "gate_up_proj_bias", [E, 2 * I]) }
        let gate = try loader.floats(p + "gate_proj_bias", [E, I]), up = try loader.floats(p + "up_proj_bias", [E, I])
        var joined: [Float] = []
        joined.reserveCapacity(2 * E * I)
        for e in 0..<E {
            let rows = (e * I)..<((e + 1) * I)
            joined.append(contentsOf: gate[rows])
            joined.append(contentsOf: up[rows])
        }
        return FloatBuffer(joined)
    }

    /// Where row `r`'s gate and up values sit in the `[rows, 2I]` hidden activations.
    var interleaves: Bool {
        if case .interleaved = self { return true }
        return false
    }

    /// `hidden[n, 2I] = inputs[n, D] · (expert e's gate and up)`, in the stored order;
    /// `scratch` holds the decoded weights, `[D·2I]` floats.
    func gateUp(
        expert e: Int, inputs: UnsafePointer<Float>, rows n: Int, hidden D: Int, inner I: Int,
        scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        switch self {
        case .interleaved(let gateUp, _):
            gateUp.decode(rows: (e * D)..<((e + 1) * D), into: scratch)
            BLAS.gemm(m: n, n: 2 * I, k: D, inputs, scratch, out)
        case .split(let gate, let up, _):
            gate.decode(rows: (e * I)..<((e + 1) * I), into: scratch)
            up.decode(rows: (e * I)..<((e + 1) * I), into: scratch + I * D)
            BLAS.gemm(m: n, n: I, k: D, inputs, scratch, transposeB: true, out, ldc: 2 * I)
            BLAS.gemm(m: n, n: I, k: D, inputs, scratch + I * D, transposeB: true, out + I, ldc: 2 * I)
        }
    }

    /// `outputs[n, D] = activated[n, I] · (expert e's down projection)`; `scratch` holds `[I·D]` floats.
    func down(
        expert e: Int, activated: UnsafePointer<Float>, rows n: Int, hidden D: Int, inner I: Int,
        scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        switch self {
        case .interleaved(_, let down):
            down.decode(rows: (e * I)..<((e + 1) * I), into: scratch)
            BLAS.gemm(m: n, n: D, k: I, activated, scratch, out)
        case .split(_, _, let down):
            down.decode(rows: (e * D)..<((e + 1) * D), into: scratch)
            BLAS.gemm(m: n, n: D, k: I, activated, scratch, transposeB: true, out)
        }
    }
}
