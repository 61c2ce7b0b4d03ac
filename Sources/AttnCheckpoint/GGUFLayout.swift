/// The parsed and validated structure of a GGUF file: header, metadata,
/// tensor infos and where each tensor's bytes live.
struct GGUFLayout {
    let version: Int
    let metadata: [String: GGUFValue]
    let tensors: [String: TensorInfo]
    let alignment: Int
    let dataOffset: Int
    /// Absolute file offset of each tensor's first byte.
    let offsets: [String: Int]

    /// GGML type numbers this module decodes.
    static let supportedTypes: [UInt32: TensorDType] = [
        0: .f32, 1: .f16, 2: .q4_0, 3: .q4_1, 6: .q5_0, 7: .q5_1, 8: .q8_0,
        10: .q2_k, 11: .q3_k, 12: .q4_k, 13: .q5_k, 14: .q6_k, 30: .bf16, 39: .mxfp4,
    ]

    /// The supported type names in type-number order, for error messages.
    private static let supportedList = supportedTypes.sorted { $0.key < $1.key }.map(\.value.rawValue).joined(
        separator: ", ")

    /// Parses `file`, checking every count, offset and size against the file.
    /// `checkMetadata` sees the metadata before any tensor info is read, so
    /// that what the file is (its architecture) is judged before how it is stored.
    init(file: MappedFile, checkMetadata: ([String: GGUFValue]) throws -> Void = { _ in }) throws {
        let path = file.path
        var reader = ByteReader(file: path, bytes: file.bytes)
        let magic = try reader.integer(UInt32.self, "magic")
        guard magic == 0x4655_4747 else {  // "GGUF" little-endian
            throw CheckpointError(file: path, offset: 0, "bad magic 0x\(String(magic, radix: 16)) (expected 'GGUF')")
        }
        let rawVersion = try reader.integer(UInt32.self, "version")
        guard rawVersion == 2 || rawVersion == 3 else {
            throw CheckpointError(
                file: path, offset: 4, "unsupported GGUF version \(rawVersion) (2 and 3 are supported)")
        }
        version = Int(rawVersion)
        let tensorCount = try reader.count("tensor count")
        let metadataCount = try reader.count("metadata count")
        metadata = try Self.readMetadata(count: metadataCount, from: &reader)
        try checkMetadata(metadata)

        alignment = try Self.alignment(in: metadata, file: path)
        let infos = try Self.readTensorInfos(count: tensorCount, from: &reader)
        let (aligned, overflow) = reader.offset.addingReportingOverflow(alignment - 1)
        guard !overflow, aligned - aligned % alignment <= file.bytes.count else {
            throw CheckpointError(file: path, offset: reader.offset, "data section starts past the end of the file")
        }
        dataOffset = aligned - aligned % alignment
        (tensors, offsets) = try Self.place(
            infos, dataOffset: dataOffset, alignment: alignment,
            fileSize: file.bytes.count, file: path)
    }

    private static func readMetadata(count: Int, from reader: inout ByteReader) throws -> [String: GGUFValue] {
        guard count <= reader.remaining / 12 else {  // key length + type + smallest value
            throw CheckpointError(file: reader.file, offset: 16, "metadata count \(count) cannot fit in the file")
        }
        var metadata: [String: GGUFValue] = [:]
        for index in 0..<count {
            let keyOffset = reader.offset
            let key = try withKey("#\(index)") { try reader.string("metadata key") }
            let value = try withKey(key) {
                let type = try reader.integer(UInt32.self, "metadata value type")
                return try GGUFValue.read(type: type, from: &reader)
            }
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw CheckpointError(file: reader.file, key: key, offset: keyOffset, "duplicate metadata key")
            }
        }
        return metadata
    }

    private static func alignment(in metadata: [String: GGUFValue], file: String) throws -> Int {
        guard let value = metadata["general.alignment"] else { return 32 }
        guard let alignment = value.int, alignment > 0, alignment <= 1 << 20 else {
            throw CheckpointError(
                file: file, key: "general.alignment", "alignment \(value) is not a positive integer up to 1 MiB")
        }
        return alignment
    }

    /// One tensor info as stored: dims fastest-first, relative offset.
    private struct RawInfo {
        let name: String
        let dims: [Int]
        let dtype: TensorDType
        let offset: Int
        let infoOffset: Int
    }

    private static func readTensorInfos(count: Int, from reader: inout ByteReader) throws -> [RawInfo] {
        guard count <= reader.remaining / 24 else {  // name length + n_dims + type + offset
            throw CheckpointError(file: reader.file, offset: 8, "tensor count \(count) cannot fit in the file")
        }
        var infos: [RawInfo] = []
        infos.reserveCapacity(count)
        for index in 0..<count {
            let infoOffset = reader.offset
            let name = try withTensor("#\(index)") { try reader.string("tensor name") }
            let info = try withTensor(name) {
                let nDims = Int(try reader.integer(UInt32.self, "dimension count"))
                guard nDims <= 8 else {
                    throw CheckpointError(
                        file: reader.file, offset: reader.offset - 4, "\(nDims) dimensions (at most 8)")
                }
                var dims: [Int] = []
                for _ in 0..<nDims { dims.append(try reader.count("dimension")) }
                let typeOffset = reader.offset
                let type = try reader.integer(UInt32.self, "tensor type")
                guard let dtype = supportedTypes[type] else {
                    throw CheckpointError(
                        file: reader.file, offset: typeOffset,
                        "unsupported GGML tensor type \(GGMLTypeName.label(type)) (supported: \(supportedList))")
                }
                let offset = try reader.count("tensor data offset")
                return RawInfo(name: name, dims: dims, dtype: dtype, offset: offset, infoOffset: infoOffset)
            }
            infos.append(info)
        }
        return infos
    }

    /// Checks each tensor's size, alignment, bounds and overlap; returns the
    /// PyTorch-order infos and absolute offsets.
    private static func place(
        _ infos: [RawInfo], dataOffset: Int, alignment: Int, fileSize: Int,
        file: String
    ) throws -> ([String: TensorInfo], [String: Int]) {
        let dataSize = fileSize - dataOffset
        var tensors: [String: TensorInfo] = [:]
        var offsets: [String: Int] = [:]
        var extents: [(begin: Int, end: Int, name: String)] = []
        for raw in infos {
            func fail(_ message: String) -> CheckpointError {
                CheckpointError(file: file, tensor: raw.name, offset: raw.infoOffset, message)
            }
            guard let count = TensorInfo.checkedCount(raw.dims) else { throw fail("dimensions \(raw.dims) overflow") }
            if raw.dtype.blockSize > 1, let fastest = raw.dims.first, fastest % raw.dtype.blockSize != 0 {
                throw fail(
                    "\(raw.dtype.rawValue) needs the fastest dimension to be a multiple of its block size \(raw.dtype.blockSize), found \(fastest)"
                )
            }
            guard let bytes = raw.dtype.byteCount(elements: count) else {
                throw fail("\(count) elements are not whole \(raw.dtype.rawValue) blocks")
            }
            guard raw.offset % alignment == 0 else {
                throw fail("data offset \(raw.offset) is not a multiple of the alignment \(alignment)")
            }
            guard raw.offset <= dataSize, bytes <= dataSize - raw.offset else {
                throw fail(
                    "data of \(bytes) bytes at data offset \(raw.offset) runs past the end of the data section (\(dataSize) bytes)"
                )
            }
            let info = TensorInfo(name: raw.name, shape: raw.dims.reversed(), dtype: raw.dtype)
            guard tensors.updateValue(info, forKey: raw.name) == nil else { throw fail("duplicate tensor name") }
            offsets[raw.name] = dataOffset + raw.offset
            extents.append((raw.offset, raw.offset + bytes, raw.name))
        }
        try checkOverlaps(extents, file: file, dataOffset: dataOffset)
        return (tensors, offsets)
    }

    private static func checkOverlaps(
        _ extents: [(begin: Int, end: Int, name: String)], file: String, dataOffset: Int
    ) throws {
        let sorted = extents.filter { $0.end > $0.begin }.sorted { $0.begin < $1.begin }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.begin < previous.end {
            throw CheckpointError(
                file: file, tensor: next.name, offset: dataOffset + next.begin,
                "data overlaps tensor '\(previous.name)'")
        }
    }
}
