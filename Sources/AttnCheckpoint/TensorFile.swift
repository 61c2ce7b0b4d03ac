/// One weights file of a checkpoint folder whose tensors are left in the
/// mapping: a `.safetensors` file or a PyTorch zip archive.
protocol TensorFile: Sendable {
    /// Tensors whose dtype this module decodes, by name.
    var tensors: [String: TensorInfo] { get }
    /// Tensors stored in other dtypes, by name: the dtype's name (reading one throws naming it).
    var otherTensors: [String: String] { get }
    /// The tensor `name` decoded to float32, row-major in its shape.
    func floats(_ name: String) throws -> [Float]
    /// The tensor `name` as a matrix left in the file (fastest dimension: the columns).
    func matrix(_ name: String) throws -> WeightMatrix
}

extension SafetensorsFile: TensorFile {}
extension PyTorchFile: TensorFile {}
