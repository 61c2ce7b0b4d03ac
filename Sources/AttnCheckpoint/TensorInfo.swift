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
    public var elementCount: Int { shape.reduce(1, *) }
}

extension TensorInfo {
    /// The element count of `shape`, or nil when a dimension is negative or
    /// the product overflows.
    static func checkedCount(_ shape: [Int]) -> Int? {
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
