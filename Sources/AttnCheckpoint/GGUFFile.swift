import Foundation

/// A llama.cpp GGUF file (version 2 or 3), mapped read-only.
///
/// Opening parses and validates the header, metadata and tensor infos; the
/// tensor data is only touched by `floats(_:)`.
public struct GGUFFile: Sendable {
    /// The file.
    public let url: URL
    /// The GGUF format version (2 or 3).
    public let version: Int
    /// Every metadata key-value pair.
    public let metadata: [String: GGUFValue]
    /// Tensors by GGUF name (`blk.0.attn_q.weight`), shapes reversed to
    /// PyTorch order (slowest first).
    public let tensors: [String: TensorInfo]
    /// Alignment of the data section and of every tensor offset.
    public let alignment: Int
    /// Absolute file offset where tensor data starts.
    public let dataOffset: Int

    let file: MappedFile
    /// Absolute file offset of each tensor's first byte.
    let offsets: [String: Int]

    /// Maps and validates the GGUF file at `url`. `checkMetadata` is called
    /// with the metadata before the tensor infos are read (e.g. to refuse an
    /// unsupported architecture before an unsupported tensor type).
    public init(url: URL, checkMetadata: ([String: GGUFValue]) throws -> Void = { _ in }) throws {
        let file = try MappedFile(path: url.path)
        let layout = try GGUFLayout(file: file, checkMetadata: checkMetadata)
        self.url = url
        self.file = file
        self.version = layout.version
        self.metadata = layout.metadata
        self.tensors = layout.tensors
        self.alignment = layout.alignment
        self.dataOffset = layout.dataOffset
        self.offsets = layout.offsets
    }

    /// The tensor `name` decoded to float32, row-major in `tensors[name].shape`.
    public func floats(_ name: String) throws -> [Float] {
        guard let info = tensors[name], let start = offsets[name],
            let bytes = info.dtype.byteCount(elements: info.elementCount)
        else {
            throw CheckpointError(file: url.path, tensor: name, "tensor '\(name)' not found")
        }
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + bytes)])
        return TensorDecoder.decode(source, dtype: info.dtype, count: info.elementCount)
    }

    /// The tensor `name` as a matrix left in the file: its fastest dimension
    /// (the one holding the quantization blocks) is the columns, the others are the rows.
    /// `storedRows` gives the stored row of each logical row (nil: in order).
    public func matrix(_ name: String, storedRows: [Int]? = nil) throws -> WeightMatrix {
        guard let info = tensors[name], let start = offsets[name], let columns = info.shape.last, columns > 0 else {
            throw CheckpointError(file: url.path, tensor: name, "tensor '\(name)' not found or empty")
        }
        return try WeightMatrix(
            name: name, file: file, start: start, rows: info.elementCount / columns, columns: columns,
            dtype: info.dtype, storedRows: storedRows
        )
    }
}
