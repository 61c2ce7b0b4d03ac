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

    /// For each HF row `0..<rows`, the GGUF row that holds it; `isValid(rows:heads:)` must hold.
    static func storedRows(rows: Int, heads: Int) -> [Int] {
        let d = rows / heads, half = d / 2
        return (0..<rows).map { row in
            let h = row / d, s = row % d / half, i = row % d % half
            return h * d + 2 * i + s
        }
    }

    /// Reorders the rows of a row-major `rows × (values.count / rows)` matrix
    /// from GGUF order to HF order; `isValid(rows:heads:)` must hold.
    static func unpermute(_ values: [Float], rows: Int, heads: Int) -> [Float] {
        let cols = values.count / rows
        return storedRows(rows: rows, heads: heads).flatMap { values[($0 * cols)..<(($0 + 1) * cols)] }
    }
}
