/// The name, shape and element encoding of one stored tensor.
///
/// `shape` is in PyTorch order, slowest-varying dimension first: a Linear
/// weight is `[out, in]` and its rows are contiguous.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor's name as the checkpoint exposes it.
    public let name: String
    /// Dimensions, slowest-varying first.
    public let shape: [Int]
    /// How the elements are encoded on disk.
    public let dtype: TensorDType

    /// Creates a description of a tensor.
    public init(name: String, shape: [Int], dtype: TensorDType) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
    }

    /// The number of elements: the product of `shape` (1 for a scalar).
    ///
    /// The readers only create infos whose product fits in `Int`; a shape
    /// that does not (possible only through the public initializer) counts 0.
    public var elementCount: Int { Self.checkedCount(shape) ?? 0 }
}

extension TensorInfo {
    /// The element count of `shape`, or nil when a dimension is negative or
    /// the product overflows. A zero dimension makes the count 0 whatever
    /// the order of the others, so the answer does not depend on the order.
    static func checkedCount(_ shape: [Int]) -> Int? {
        guard shape.allSatisfy({ $0 >= 0 }) else { return nil }
        if shape.contains(0) { return 0 }
        var count = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            count = product
        }
        return count
    }
}
