import Foundation

/// One `.safetensors` file, mapped read-only.
///
/// Opening validates the header (length, JSON, dtypes, shapes, offsets,
/// sizes, overlaps); the tensor data is only touched by `floats(_:)`.
public struct SafetensorsFile: Sendable {
    /// The file.
    public let url: URL
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    /// Tensors whose dtype this module decodes (F32, F16, BF16, F64).
    public let tensors: [String: TensorInfo]
    /// Tensors stored in other dtypes (e.g. `I64` position ids), by name: the dtype string.
    public let otherTensors: [String: String]

    let file: MappedFile
    /// Absolute file offset of each tensor's first byte.
    let offsets: [String: Int]

    /// Maps and validates the safetensors file at `url`.
    public init(url: URL) throws {
        let file = try MappedFile(path: url.path)
        let header = try SafetensorsHeader(file: file)
        self.url = url
        self.file = file
        self.metadata = header.metadata
        self.tensors = header.tensors
        self.otherTensors = header.otherTensors
        self.offsets = header.offsets
    }

    /// The tensor `name` decoded to float32, row-major in `tensors[name].shape`.
    public func floats(_ name: String) throws -> [Float] {
        if let dtype = otherTensors[name] {
            throw CheckpointError(file: url.path, tensor: name, "unsupported dtype '\(dtype)' (F32, F16, BF16 and F64 are read)")
        }
        guard let info = tensors[name], let start = offsets[name],
              let bytes = info.dtype.byteCount(elements: info.elementCount) else {
            throw CheckpointError(file: url.path, tensor: name, "tensor '\(name)' not found")
        }
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + bytes)])
        return TensorDecoder.decode(source, dtype: info.dtype, count: info.elementCount)
    }

    /// The tensor `name` as a matrix left in the file: its fastest dimension
    /// is the columns, the others are the rows.
    public func matrix(_ name: String) throws -> WeightMatrix {
        if let dtype = otherTensors[name] {
            throw CheckpointError(file: url.path, tensor: name, "unsupported dtype '\(dtype)' (F32, F16, BF16 and F64 are read)")
        }
        guard let info = tensors[name], let start = offsets[name], let columns = info.shape.last, columns > 0 else {
            throw CheckpointError(file: url.path, tensor: name, "tensor '\(name)' not found or empty")
        }
        return try WeightMatrix(
            name: name, file: file, start: start, rows: info.elementCount / columns, columns: columns, dtype: info.dtype
        )
    }
}
