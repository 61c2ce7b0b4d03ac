import AttnKernels

/// RoPE's cosines and sines for one forward pass, `[positions, rotated/2]`
/// each, computed once and read by every block.
struct RopeTables: Sendable {
    let cos, sin: [Float]

    /// Tables for positions `0 ..< positions` at `inverseFrequencies` (`[rotated/2]`).
    init(positions: Int, inverseFrequencies: [Float]) {
        (cos, sin) = Kernels.ropeTables(positions: positions, inverseFrequencies: inverseFrequencies)
    }

    /// Tables with every sine negated: a rotation by `−θ` (nanochat's convention).
    func reversed() -> RopeTables { RopeTables(cos: cos, sin: sin.map { -$0 }) }

    /// Tables with cosines and sines multiplied by `factor` in float32 (YaRN's attention scaling).
    func scaled(by factor: Float) -> RopeTables {
        factor == 1 ? self : RopeTables(cos: cos.map { $0 * factor }, sin: sin.map { $0 * factor })
    }

    private init(cos: [Float], sin: [Float]) {
        self.cos = cos
        self.sin = sin
    }

    /// Rotates `buffer` (`[rows, heads·headDim]`, every prompt of `batch`
    /// from position 0) in place; with `rotated`, only each head's first
    /// `rotated` values (partial rotary).
    func rotate(_ buffer: FloatBuffer, heads: Int, headDim: Int, rotated: Int? = nil, batch: Batch) {
        let width = heads * headDim
        for rows in batch.prompts {
            Kernels.rope(
                buffer.pointer + rows.lowerBound * width, tokens: rows.count, heads: heads, headDim: headDim,
                rotated: rotated, cos: cos, sin: sin)
        }
    }
}
