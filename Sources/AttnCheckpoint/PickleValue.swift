/// A value the restricted unpickler builds: plain Python data, an allowed
/// global, a storage reference or a tensor view; nothing else exists.
///
/// Lists and dicts are mutable in a pickle (created empty, memoized, then
/// filled), so they are indices into the unpickler's ``PickleObjects``
/// rather than values: a list appended to itself makes no reference cycle,
/// and nothing built from a pickle is ever deeply nested in memory (tuples
/// carry their depth, which is bounded).
enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A tuple and its nesting depth (1 for a tuple of scalars).
    case tuple([PickleValue], depth: Int)
    /// A list: an index into ``PickleObjects/lists``.
    case list(Int)
    /// A dict or OrderedDict: an index into ``PickleObjects/dicts``.
    case dict(Int)
    /// An allowed global (a function or class, never called except as ``RestrictedUnpickler`` allows).
    case global(PickleGlobal)
    /// A storage named by a persistent id.
    case storage(TorchStorage)
    /// A tensor view of a storage.
    case tensor(TorchTensor)

    /// The nesting depth this value adds to a tuple holding it.
    var depth: Int {
        if case .tuple(_, let depth) = self { return depth }
        return 0
    }

    /// What kind of value this is, for messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global: "global"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// The mutable containers of one unpickling, addressed by index.
struct PickleObjects: Sendable {
    /// Every list's items.
    var lists: [[PickleValue]] = []
    /// Every dict's items in insertion order (duplicate keys are kept; the reader refuses them).
    var dicts: [[(key: PickleValue, value: PickleValue)]] = []
    /// The dicts made by `collections.OrderedDict()` (the only objects `BUILD` may set state on).
    var orderedDicts: Set<Int> = []
}

/// One storage of a torch archive: the zip entry `<archive>/data/<key>`
/// holding `elements` values of `type`.
struct TorchStorage: Sendable, Equatable {
    let key: String
    let type: PickleGlobal.StorageType
    let elements: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a contiguous run of
/// `shape`'s element count, row-major, starting `offset` elements into `storage`.
struct TorchTensor: Sendable, Equatable {
    let storage: TorchStorage
    /// Offset into the storage, in elements.
    let offset: Int
    /// Dimensions, slowest-varying first.
    let shape: [Int]
    /// The element count, the product of `shape`.
    let elements: Int
}
