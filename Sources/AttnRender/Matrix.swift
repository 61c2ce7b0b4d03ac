/// A dense matrix of `rows` × `cols` floats stored row-major in `values` (entry (i, j) at
/// `i * cols + j`); for an attention map rows are queries and columns keys.
public struct Matrix: Sendable, Hashable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Row-major entries, `rows * cols` of them.
    public let values: [Float]

    /// A matrix over row-major `values`; throws when the count is not `rows * cols` or a side is 0.
    public init(rows: Int, cols: Int, values: [Float], name: String = "matrix") throws {
        guard rows > 0, cols > 0 else {
            throw RenderError.invalidInput(what: name, reason: "shape \(rows)x\(cols) has no entries")
        }
        guard values.count == rows * cols else {
            throw RenderError.invalidInput(
                what: name, reason: "\(values.count) values for a \(rows)x\(cols) matrix (expected \(rows * cols))")
        }
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// Entry at row `i`, column `j`.
    public subscript(i: Int, j: Int) -> Float { values[i * cols + j] }

    /// The smallest and largest finite entries, or nil when none is finite.
    public var finiteRange: (min: Float, max: Float)? {
        var low = Float.infinity
        var high = -Float.infinity
        for v in values where v.isFinite {
            low = min(low, v)
            high = max(high, v)
        }
        return low <= high ? (low, high) : nil
    }

    /// The matrix shrunk by averaging `factor` × `factor` blocks of finite entries (edge blocks
    /// average the entries they have); `factor` 1 returns the matrix unchanged.
    public func blockMean(_ factor: Int) -> Matrix {
        guard factor > 1 else { return self }
        let outRows = (rows + factor - 1) / factor
        let outCols = (cols + factor - 1) / factor
        var sums = [Double](repeating: 0, count: outRows * outCols)
        var counts = [Int](repeating: 0, count: outRows * outCols)
        values.withUnsafeBufferPointer { source in
            for i in 0..<rows {
                let base = (i / factor) * outCols
                for j in 0..<cols {
                    let v = source[i * cols + j]
                    guard v.isFinite else { continue }
                    sums[base + j / factor] += Double(v)
                    counts[base + j / factor] += 1
                }
            }
        }
        let means = zip(sums, counts).map { $1 > 0 ? Float($0 / Double($1)) : Float.nan }
        return Matrix(unchecked: outRows, outCols, means)
    }

    /// A matrix whose shape the caller has already checked.
    init(unchecked rows: Int, _ cols: Int, _ values: [Float]) {
        self.rows = rows
        self.cols = cols
        self.values = values
    }
}
