/// The only Python globals the restricted unpickler resolves: what
/// `torch.save(state_dict)` writes. Anything else (`os.system`,
/// `builtins.eval`, a model class) is refused by name; nothing is ever
/// looked up or run.
///
/// The allowed set is a strict subset of what PyTorch's
/// `torch.load(weights_only=True)` allows: `collections.OrderedDict`,
/// `torch._utils._rebuild_tensor_v2`, `torch._utils._rebuild_parameter`
/// and the typed storage classes `torch.<Type>Storage`.
enum PickleGlobal: Sendable, Equatable {
    /// `collections.OrderedDict`: called with no arguments, it makes an empty dict.
    case orderedDict
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    case rebuildTensor
    /// `torch._utils._rebuild_parameter(tensor, requires_grad, hooks)`.
    case rebuildParameter
    /// A typed storage class such as `torch.FloatStorage`, with the element
    /// encoding it stands for and its byte size.
    case storage(StorageType)

    /// The element type of a typed storage class.
    struct StorageType: Sendable, Equatable {
        /// The storage class name, `FloatStorage`.
        let className: String
        /// The dtype when this module decodes it (F32, F16, BF16, F64), else nil.
        let dtype: TensorDType?
        /// PyTorch's name of the element type, `float32`, for messages.
        let torchName: String
        /// Bytes per element.
        let elementBytes: Int
    }

    /// The storage classes `torch.save` names; those without a `dtype`
    /// are listed (so a stray integer buffer does not stop the file) but not read.
    static let storageTypes: [String: StorageType] = Dictionary(
        uniqueKeysWithValues: [
            StorageType(className: "FloatStorage", dtype: .f32, torchName: "float32", elementBytes: 4),
            StorageType(className: "HalfStorage", dtype: .f16, torchName: "float16", elementBytes: 2),
            StorageType(className: "BFloat16Storage", dtype: .bf16, torchName: "bfloat16", elementBytes: 2),
            StorageType(className: "DoubleStorage", dtype: .f64, torchName: "float64", elementBytes: 8),
            StorageType(className: "LongStorage", dtype: nil, torchName: "int64", elementBytes: 8),
            StorageType(className: "IntStorage", dtype: nil, torchName: "int32", elementBytes: 4),
            StorageType(className: "ShortStorage", dtype: nil, torchName: "int16", elementBytes: 2),
            StorageType(className: "CharStorage", dtype: nil, torchName: "int8", elementBytes: 1),
            StorageType(className: "ByteStorage", dtype: nil, torchName: "uint8", elementBytes: 1),
            StorageType(className: "BoolStorage", dtype: nil, torchName: "bool", elementBytes: 1),
        ].map { ($0.className, $0) })

    /// The allowed global `module.name`, or nil when it is not allowed.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch", _):
            guard let type = Self.storageTypes[name] else { return nil }
            self = .storage(type)
        default: return nil
        }
    }

    /// Every allowed global as `module.name`, for messages and the README.
    static var allowedNames: [String] {
        ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter"]
            + storageTypes.keys.sorted().map { "torch.\($0)" }
    }
}
