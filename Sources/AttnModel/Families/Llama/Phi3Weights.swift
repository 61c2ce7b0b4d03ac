/// Phi-3's fused projections, split at load time into the separate Llama
/// tensors, so that Phi-3 runs the Llama forward pass unchanged.
///
/// As HF's `Phi3Attention` and `Phi3MLP` slice them (transformers 5.23):
/// `qkv_proj.weight` is `[(H + 2G)·d, D]` with the H·d query rows first,
/// then the G·d key rows, then the G·d value rows; `gate_up_proj.weight` is
/// `[2·inner, D]` with the gate rows first, then the up rows (`chunk(2)`).
/// Each part is a row range of the stored matrix, not a copy.
enum Phi3Weights {
    /// Reads every block's fused weights and provides `q_proj`, `k_proj`,
    /// `v_proj`, `gate_proj` and `up_proj` in their place.
    static func split(
        _ loader: WeightLoader, layers: Int, heads: Int, kvHeads: Int, headDim: Int, hiddenSize d: Int,
        intermediateSize inner: Int
    ) throws {
        for l in 0..<layers {
            let a = "model.layers.\(l).self_attn.", m = "model.layers.\(l).mlp."
            let qRows = heads * headDim, kvRows = kvHeads * headDim
            let qkv = try loader.matrix(a + "qkv_proj.weight", [qRows + 2 * kvRows, d])
            var start = 0
            for (name, rows) in [("q_proj", qRows), ("k_proj", kvRows), ("v_proj", kvRows)] {
                loader.provide(a + name + ".weight", qkv.rows(start..<(start + rows)))
                start += rows
            }
            let gateUp = try loader.matrix(m + "gate_up_proj.weight", [2 * inner, d])
            loader.provide(m + "gate_proj.weight", gateUp.rows(0..<inner))
            loader.provide(m + "up_proj.weight", gateUp.rows(inner..<(2 * inner)))
        }
    }
}
