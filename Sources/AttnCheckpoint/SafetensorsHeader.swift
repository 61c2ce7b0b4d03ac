import Foundation

/// The parsed and validated header of a safetensors file: an 8-byte
/// little-endian length N, N bytes of JSON, then the data section that every
/// `data_offsets` pair is relative to.
struct SafetensorsHeader {
    let metadata: [String: String]
    let tensors: [String: TensorInfo]
    let otherTensors: [String: String]
    /// Absolute file offset of each decodable tensor's first byte.
    let offsets: [String: Int]

    /// The largest header accepted, as in the reference implementation.
    static let maxHeaderBytes = 100_000_000

    /// Bytes per element of every dtype the format defines; only the
    /// `TensorDType` ones are decoded, the rest are still bounds-checked.
    static let elementSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4,
        "I64": 8, "U64": 8, "F64": 8,
    ]

    /// Parses and checks the header of `file`.
    init(file: MappedFile) throws {
        let path = file.path
        var reader = ByteReader(file: path, bytes: file.bytes)
        let length = try reader.integer(UInt64.self, "header length")
        guard length <= UInt64(Self.maxHeaderBytes) else {
            throw CheckpointError(file: path, offset: 0, "header length \(length) is over the 100 MB limit")
        }
        guard Int(length) <= reader.remaining else {
            throw CheckpointError(
                file: path, offset: 0,
                "header length \(length) runs past the end of the file (\(file.bytes.count) bytes)")
        }
        let json = try reader.slice(Int(length), "header")
        let dataStart = reader.offset
        let dataSize = file.bytes.count - dataStart
        let header: RawHeader
        do {
            header = try JSONDecoder().decode(RawHeader.self, from: Data(json))
        } catch let error as CheckpointError {
            throw CheckpointError(file: path, tensor: error.tensor, key: error.key, offset: 8, error.message)
        } catch {
            throw CheckpointError(
                file: path, offset: 8, "header is not valid JSON: \(DecodingError.oneLineDescription(of: error))")
        }
        var tensors: [String: TensorInfo] = [:]
        var others: [String: String] = [:]
        var offsets: [String: Int] = [:]
        var extents: [(begin: Int, end: Int, name: String)] = []
        for (name, raw) in header.entries {
            let entry = try Entry(name: name, raw: raw, file: path, dataSize: dataSize)
            if let dtype = TensorDType(rawValue: entry.dtype), dtype.blockSize == 1 {
                tensors[name] = TensorInfo(name: name, shape: entry.shape, dtype: dtype)
                offsets[name] = dataStart + entry.begin
            } else {
                others[name] = entry.dtype
            }
            extents.append((entry.begin, entry.end, name))
        }
        let sorted = extents.filter { $0.end > $0.begin }.sorted { $0.begin < $1.begin }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.begin < previous.end {
            throw CheckpointError(
                file: path, tensor: next.name, offset: dataStart + next.begin,
                "data_offsets [\(next.begin), \(next.end)] overlap tensor '\(previous.name)' [\(previous.begin), \(previous.end)]"
            )
        }
        self.metadata = header.metadata
        self.tensors = tensors
        self.otherTensors = others
        self.offsets = offsets
    }

    /// One header entry, validated against the data section size.
    private struct Entry {
        let dtype: String
        let shape: [Int]
        let begin: Int
        let end: Int

        init(name: String, raw: RawEntry, file: String, dataSize: Int) throws {
            func fail(_ message: String) -> CheckpointError {
                CheckpointError(file: file, tensor: name, offset: 8, message)
            }
            let dtype = raw.dtype
            guard let size = SafetensorsHeader.elementSizes[dtype] else { throw fail("unknown dtype '\(dtype)'") }
            guard let count = TensorInfo.checkedCount(raw.shape) else {
                throw fail("shape \(raw.shape) has a negative dimension or overflows")
            }
            guard raw.dataOffsets.count == 2 else { throw fail("data_offsets \(raw.dataOffsets) is not a pair") }
            let (begin, end) = (raw.dataOffsets[0], raw.dataOffsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail("data_offsets [\(begin), \(end)] past end of data (\(dataSize) bytes)")
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, end - begin == bytes else {
                throw fail(
                    "data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(raw.shape) of \(dtype) needs \(overflow ? "too many" : String(bytes))"
                )
            }
            self.dtype = dtype
            self.shape = raw.shape
            self.begin = begin
            self.end = end
        }
    }
}
