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
    public func floats(_ name: String) throws -> [Float] { try tensorFloats(name) }

    /// The tensor `name` as a matrix left in the file: its fastest dimension
    /// is the columns, the others are the rows.
    public func matrix(_ name: String) throws -> WeightMatrix { try tensorMatrix(name) }
}
