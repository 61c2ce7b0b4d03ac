/// The calls and persistent ids a torch state dict needs, each checked
/// argument by argument: nothing is called, the unpickler builds the result itself.
extension RestrictedUnpickler {
    /// `REDUCE`: `OrderedDict()`, `_rebuild_tensor_v2(…)` or `_rebuild_parameter(…)`.
    mutating func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case .global(let global) = callable else {
            throw refuse("REDUCE of a \(callable.kind): only OrderedDict and the torch rebuild functions are called")
        }
        guard case .tuple(let args, _) = arguments else {
            throw refuse("REDUCE with a \(arguments.kind) of arguments, not a tuple")
        }
        switch global {
        case .orderedDict:
            guard args.isEmpty else {
                throw refuse("OrderedDict called with \(args.count) arguments (only OrderedDict() is accepted)")
            }
            let dict = newDict()
            if case .dict(let index) = dict { objects.orderedDicts.insert(index) }
            return dict
        case .rebuildTensor:
            return .tensor(try rebuildTensor(args))
        case .rebuildParameter:
            guard args.count == 3, case .tensor(let tensor) = args[0], case .bool = args[1], try isEmptyDict(args[2])
            else {
                throw refuse(
                    "_rebuild_parameter needs (tensor, requires_grad, empty hooks), got (\(args.map(\.kind).joined(separator: ", ")))"
                )
            }
            return .tensor(tensor)
        case .storage(let type):
            throw refuse("REDUCE of torch.\(type.className): a storage is only accepted as a persistent id")
        }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`,
    /// accepted only for a contiguous tensor lying inside its storage.
    private func rebuildTensor(_ args: [PickleValue]) throws -> TorchTensor {
        guard args.count == 6 || args.count == 7, case .storage(let storage) = args[0], case .int(let offset) = args[1],
            let shape = Self.integers(args[2]), let strides = Self.integers(args[3]), case .bool = args[4],
            try isEmptyDict(args[5])
        else {
            throw refuse(
                "_rebuild_tensor_v2 needs (storage, offset, size, stride, requires_grad, empty hooks[, metadata]), got (\(args.map(\.kind).joined(separator: ", ")))"
            )
        }
        if args.count == 7 {
            switch args[6] {
            case .none, .dict: break
            default: throw refuse("_rebuild_tensor_v2 metadata is a \(args[6].kind), not None or a dict")
            }
        }
        guard shape.count <= Self.maxDimensions, shape.count == strides.count else {
            throw refuse(
                "tensor size \(shape.prefix(Self.maxDimensions)) and stride \(strides.prefix(Self.maxDimensions)) do not make a tensor of at most \(Self.maxDimensions) dimensions"
            )
        }
        guard let elements = TensorInfo.checkedCount(shape) else {
            throw refuse("tensor size \(shape) is negative or its element count overflows")
        }
        guard Self.isContiguous(shape: shape, strides: strides) else {
            throw refuse(
                "tensor of size \(shape) has non-contiguous strides \(strides) (only contiguous tensors are read; save t.contiguous())"
            )
        }
        let (end, overflow) = offset.addingReportingOverflow(elements)
        guard offset >= 0, !overflow, end <= storage.elements else {
            throw refuse(
                "tensor of \(elements) elements at storage offset \(offset) runs past its storage '\(storage.key)' of \(storage.elements) elements"
            )
        }
        return TorchTensor(storage: storage, offset: offset, shape: shape, elements: elements)
    }

    /// `BINPERSID` of `('storage', torch.<Type>Storage, key, location, numel)`, whose
    /// zip entry must exist and hold exactly `numel` elements.
    mutating func persistentStorage(_ id: PickleValue) throws -> TorchStorage {
        guard case .tuple(let fields, _) = id, fields.count == 5, case .string("storage") = fields[0],
            case .global(.storage(let type)) = fields[1], case .string(let key) = fields[2],
            case .string = fields[3], case .int(let elements) = fields[4]
        else {
            throw refuse("persistent id is not ('storage', torch storage type, key, location, size)")
        }
        guard let entryBytes = storageBytes(key) else {
            throw refuse("storage key '\(key)' is not an entry of the archive")
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: type.elementBytes)
        guard elements >= 0, !overflow, bytes == entryBytes else {
            throw refuse(
                "storage '\(key)' of \(elements) \(type.torchName) elements does not match its \(entryBytes)-byte entry"
            )
        }
        let storage = TorchStorage(key: key, type: type, elements: elements)
        if let seen = storages[key], seen != storage {
            throw refuse("storage key '\(key)' names two different storages")
        }
        storages[key] = storage
        return storage
    }

    /// Whether `value` is a dict without items (a tensor's backward hooks).
    private func isEmptyDict(_ value: PickleValue) throws -> Bool {
        guard case .dict(let index) = value else { return false }
        guard objects.dicts[index].isEmpty else { throw refuse("tensor with backward hooks (not read)") }
        return true
    }

    /// The values of a tuple of ints, nil for anything else.
    private static func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items, _) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .int(let number) = item else { return nil }
            result.append(number)
        }
        return result
    }

    /// Whether `strides` are row-major for `shape` (as PyTorch's `is_contiguous`:
    /// a dimension of size 1 may have any stride, an empty tensor is contiguous).
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        if shape.contains(0) { return true }
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() where size != 1 {
            guard stride == expected else { return false }
            expected *= size
        }
        return true
    }
}
