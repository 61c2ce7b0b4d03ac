/// The row order llama.cpp's converter gives `attn_q` / `attn_k` so that
/// RoPE rotates adjacent pairs, and its inverse.
///
/// With `heads` heads of `d = rows / heads` rows each, GGUF row
/// `h*d + 2*i + s` (i in 0..<d/2, s in 0...1) holds HF row `h*d + s*(d/2) + i`,
/// the inverse of the converter's `w.reshape(heads, 2, d/2, cols).swapaxes(1, 2)`.
enum LlamaRowPermutation {
    /// Whether a `rows`-row tensor can be split into `heads` heads of even size.
    static func isValid(rows: Int, heads: Int) -> Bool {
        rows > 0 && heads > 0 && rows % heads == 0 && (rows / heads) % 2 == 0
    }

    /// Reorders the rows of a row-major `rows × (values.count / rows)` matrix
    /// from GGUF order to HF order; `isValid(rows:heads:)` must hold.
    static func unpermute(_ values: [Float], rows: Int, heads: Int) -> [Float] {
        let cols = values.count / rows
        let d = rows / heads
        let half = d / 2
        return [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { src in
                for h in 0..<heads {
                    for i in 0..<half {
                        for s in 0..<2 {
                            let from = (h * d + 2 * i + s) * cols
                            let to = (h * d + s * half + i) * cols
                            for c in 0..<cols { out[to + c] = src[from + c] }
                        }
                    }
                }
            }
            initialized = values.count
        }
    }
}
