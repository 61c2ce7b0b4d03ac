import Foundation

/// One weights file of a checkpoint folder whose tensors are left in the
/// mapping: a `.safetensors` file or a PyTorch zip archive.
///
/// A conforming file states where each decodable tensor starts in its
/// mapping; reading a tensor (``tensorFloats(_:)``, ``tensorMatrix(_:)``)
/// is then the same for every format.
protocol TensorFile: Sendable {
    /// The file, for messages.
    var url: URL { get }
    /// The mapping the tensors are read from.
    var file: MappedFile { get }
    /// Tensors whose dtype this module decodes, by name.
    var tensors: [String: TensorInfo] { get }
    /// Tensors stored in other dtypes, by name: the dtype's name (reading one throws naming it).
    var otherTensors: [String: String] { get }
    /// Where each tensor of `tensors` starts in `file`, in bytes; its bytes were checked to lie inside the file.
    var offsets: [String: Int] { get }
    /// The dtypes this format's files are read in, as the format names them, for messages.
    static var decodedTypes: String { get }
}

extension TensorFile {
    /// The tensor `name` decoded to float32, row-major in `tensors[name].shape`.
    func tensorFloats(_ name: String) throws -> [Float] {
        try refuseUndecodable(name)
        guard let info = tensors[name], let start = offsets[name],
            let bytes = info.dtype.byteCount(elements: info.elementCount)
        else {
            throw CheckpointError(file: url.path, tensor: name, "tensor '\(name)' not found")
        }
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + bytes)])
        return TensorDecoder.decode(source, dtype: info.dtype, count: info.elementCount)
    }

    /// The tensor `name` as a matrix left in the file: its fastest dimension
    /// is the columns, the others are the rows.
    func tensorMatrix(_ name: String) throws -> WeightMatrix {
        try refuseUndecodable(name)
        guard let info = tensors[name], let start = offsets[name], let columns = info.shape.last, columns > 0 else {
            throw CheckpointError(file: url.path, tensor: name, "tensor '\(name)' not found or empty")
        }
        return try WeightMatrix(
            name: name, file: file, start: start, rows: info.elementCount / columns, columns: columns, dtype: info.dtype
        )
    }

    private func refuseUndecodable(_ name: String) throws {
        if let dtype = otherTensors[name] {
            throw CheckpointError(
                file: url.path, tensor: name, "unsupported dtype '\(dtype)' (\(Self.decodedTypes) are read)")
        }
    }
}

extension SafetensorsFile: TensorFile {
    static let decodedTypes = "F32, F16, BF16 and F64"
}

extension PyTorchFile: TensorFile {
    static let decodedTypes = "float32, float16, bfloat16 and float64"
}
