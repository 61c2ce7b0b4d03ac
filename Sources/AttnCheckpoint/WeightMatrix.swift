/// A 2-D tensor `[rows, columns]` left in its stored encoding inside the
/// mapped checkpoint file, whose rows are decoded to float32 on demand.
///
/// Rows are independent: quantization blocks run along a row (the fastest
/// dimension), so any set of rows decodes on its own, with the same decoder
/// and bit-identical results as decoding the whole tensor. A logical row may
/// come from a different stored row (llama.cpp's Q/K row permutation), and a
/// matrix may be a range of another's rows (Phi-3's fused projections):
/// neither copies anything. The file stays mapped while any matrix refers to it.
public struct WeightMatrix: Sendable {
    /// The tensor's (HF) name, for messages.
    public let name: String
    /// Number of logical rows (a Linear weight's outputs).
    public let rows: Int
    /// Values per row (a Linear weight's inputs).
    public let columns: Int
    /// How the values are encoded in the file.
    public let dtype: TensorDType

    private let file: MappedFile
    /// Absolute file offset of stored row 0.
    private let start: Int
    /// Encoded bytes per row.
    private let rowBytes: Int
    /// The stored row of each logical row, or nil when logical row `r` is stored row `firstRow + r`.
    private let storedRows: [Int]?
    /// The stored row of logical row 0 when `storedRows` is nil.
    private let firstRow: Int

    /// The matrix of the `rows × columns` tensor `name` stored at absolute
    /// offset `start` of `file`, logical row `r` read from stored row
    /// `storedRows[r]` (nil: in order); throws naming the tensor when the rows
    /// are not whole blocks of `dtype`, the data does not fit in the file or
    /// `storedRows` names rows that are not stored.
    init(
        name: String, file: MappedFile, start: Int, rows: Int, columns: Int, dtype: TensorDType,
        storedRows: [Int]? = nil
    ) throws {
        guard rows >= 0, columns > 0, columns % dtype.blockSize == 0,
            let rowBytes = dtype.byteCount(elements: columns)
        else {
            throw CheckpointError(
                file: file.path, tensor: name,
                "rows of \(columns) values are not whole \(dtype.rawValue) blocks of \(dtype.blockSize)")
        }
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: rowBytes)
        guard !overflow, start >= 0, start <= file.bytes.count, bytes <= file.bytes.count - start else {
            throw CheckpointError(
                file: file.path, tensor: name,
                "\(rows) rows of \(rowBytes) bytes at offset \(start) run past the end of the file")
        }
        guard storedRows.map({ $0.count == rows && $0.allSatisfy { (0..<rows).contains($0) } }) ?? true else {
            throw CheckpointError(
                file: file.path, tensor: name, "a row order must name one of the \(rows) stored rows for each row")
        }
        self.name = name
        self.file = file
        self.start = start
        self.rows = rows
        self.columns = columns
        self.dtype = dtype
        self.rowBytes = rowBytes
        self.storedRows = storedRows
        self.firstRow = 0
    }

    private init(_ base: WeightMatrix, rows range: Range<Int>) {
        name = base.name
        file = base.file
        start = base.start
        rows = range.count
        columns = base.columns
        dtype = base.dtype
        rowBytes = base.rowBytes
        storedRows = base.storedRows.map { Array($0[range]) }
        firstRow = base.firstRow + range.lowerBound
    }

    /// Logical rows `range` of this matrix as a matrix of their own, sharing the file.
    public func rows(_ range: Range<Int>) -> WeightMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "\(name): rows \(range) of \(rows)")
        return WeightMatrix(self, rows: range)
    }

    /// The stored float32 values, row-major `[rows, columns]`, read in place
    /// from the mapping: non-nil only for F32 rows stored in order at a
    /// 4-byte-aligned address. Valid while this matrix exists.
    public var floatsInPlace: UnsafePointer<Float>? {
        guard dtype == .f32, storedRows == nil, let base = file.bytes.baseAddress else { return nil }
        let address = base + start + firstRow * rowBytes
        guard Int(bitPattern: address) % MemoryLayout<Float>.alignment == 0 else { return nil }
        return address.assumingMemoryBound(to: Float.self)
    }

    /// Decodes logical rows `range` into `out`, row-major `[range.count, columns]`,
    /// bit-identical to decoding the whole tensor and keeping those rows.
    public func decode(rows range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "\(name): rows \(range) of \(rows)")
        guard let base = file.bytes.baseAddress, !range.isEmpty else { return }
        if let storedRows {
            for (i, row) in range.enumerated() {
                TensorDecoder.decode(
                    base + start + storedRows[row] * rowBytes, dtype: dtype, count: columns, into: out + i * columns)
            }
        } else {
            let first = base + start + (firstRow + range.lowerBound) * rowBytes
            TensorDecoder.decode(first, dtype: dtype, count: range.count * columns, into: out)
        }
    }

    /// Decodes logical row `row` (e.g. one token's embedding) into `out[columns]`.
    public func decode(row: Int, into out: UnsafeMutablePointer<Float>) {
        decode(rows: row..<(row + 1), into: out)
    }

    /// Every row decoded, row-major `[rows, columns]`.
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * columns) { out, initialized in
            if let pointer = out.baseAddress { decode(rows: 0..<rows, into: pointer) }
            initialized = rows * columns
        }
    }
}
