import AttnCheckpoint
import AttnKernels
import Foundation

/// GPT-OSS's mixture of experts, as `GptOssMLP` routes it.
extension GPTOSS {
    /// `out[r] = Σ_e w_{r,e} · (down_e · swiglu(gate_up_e · n_r + b) + b)` over
    /// the `k` experts with the largest router logits of row `r` of `.normed`,
    /// `w` the softmax of those logits; `out` is `[rows, D]`.
    ///
    /// As HF adds them (`index_add_` expert by expert), each row's experts are
    /// summed in increasing expert index. An expert's weights are decoded
    /// only when a row is routed to it; its products run per prompt over the
    /// prompt's routed rows, so a prompt's results do not depend on the
    /// prompts batched with it.
    func mixture(_ block: Block, _ pass: ForwardPass<RopeTables>, into out: FloatBuffer) {
        let D = description.hiddenSize, I = description.intermediateSize, E = experts, t = pass.rows
        let logits = pass[.routerLogits]
        linear(pass[.normed], block.router, block.routerBias, batch: pass.batch, inputs: D, outputs: E, into: logits)
        // routes[e]: (row, weight) of every row routed to expert e, rows ascending.
        var routes = [[(row: Int, weight: Float)]](repeating: [], count: E)
        for r in 0..<t {
            let row = UnsafeBufferPointer(start: logits.pointer + r * E, count: E)
            let chosen = Self.topK(row, expertsPerToken)
            let largest = row[chosen[0]]
            let exps = chosen.map { Foundation.exp(row[$0] - largest) }
            let total = exps.reduce(0, +)
            for (p, e) in chosen.enumerated() { routes[e].append((r, exps[p] / total)) }
        }
        out.pointer.update(repeating: 0, count: t * D)
        let gateUp = pass[.expertGateUp].pointer, down = pass[.expertDown].pointer
        let inputs = pass[.expertInputs].pointer, outputs = pass[.expertOutputs].pointer
        let hidden = pass[.hidden].pointer, activated = pass[.up].pointer, normed = pass[.normed].pointer
        for e in 0..<E where !routes[e].isEmpty {
            for prompt in pass.batch.prompts {
                let routed = routes[e].filter { prompt.contains($0.row) }
                guard !routed.isEmpty else { continue }
                let n = routed.count
                for (i, route) in routed.enumerated() {
                    (inputs + i * D).update(from: normed + route.row * D, count: D)
                }
                block.experts.gateUp(
                    expert: e, inputs: inputs, rows: n, hidden: D, inner: I, scratch: gateUp, into: hidden)
                Kernels.addBias(hidden, bias: block.gateUpBias.pointer + e * 2 * I, rows: n, width: 2 * I)
                swiglu(hidden, rows: n, width: I, interleaved: block.experts.interleaves, into: activated)
                block.experts.down(
                    expert: e, activated: activated, rows: n, hidden: D, inner: I, scratch: down, into: outputs)
                Kernels.addBias(outputs, bias: block.downBias.pointer + e * D, rows: n, width: D)
                for (i, route) in routed.enumerated() {
                    let target = out.pointer + route.row * D, source = outputs + i * D
                    for c in 0..<D { target[c] += source[c] * route.weight }
                }
            }
        }
    }

    /// GPT-OSS's clamped SwiGLU on `hidden[rows, 2·width]`, each row's gate and
    /// up values interleaved (`g₀ u₀ g₁ u₁ …`) or split (`g₀ … | u₀ …`):
    /// `(clamp(up, ±limit) + 1) · g·σ(α·g)` with `g = min(gate, limit)`, into `out[rows, width]`.
    private func swiglu(
        _ hidden: UnsafePointer<Float>, rows: Int, width: Int, interleaved: Bool, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = hidden + r * 2 * width
            for j in 0..<width {
                let (g, u) = interleaved ? (row[2 * j], row[2 * j + 1]) : (row[j], row[width + j])
                let gate = min(g, limit), up = min(max(u, -limit), limit)
                let glu = gate * (1 / (1 + Foundation.exp(-(gate * alpha))))
                out[r * width + j] = (up + 1) * glu
            }
        }
    }

    /// The indices of the `k` largest of `values`, largest first (ties to the smaller index).
    static func topK(_ values: UnsafeBufferPointer<Float>, _ k: Int) -> [Int] {
        var chosen: [Int] = []
        chosen.reserveCapacity(k)
        for _ in 0..<k {
            var best = -1
            for e in values.indices where !chosen.contains(e) {
                if best < 0 || values[e] > values[best] { best = e }
            }
            chosen.append(best)
        }
        return chosen
    }
}
