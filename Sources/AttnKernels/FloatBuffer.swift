/// A fixed-size, heap-allocated float32 buffer with a stable pointer.
///
/// Weights are loaded into these once and never change (hence
/// `@unchecked Sendable`); scratch buffers of one forward pass are written
/// through ``pointer`` by the thread that owns the run.
public final class FloatBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// A zero-filled buffer of `count` floats.
    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    /// The contents as a read-only buffer.
    public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }

    /// Rows `rows` of the contents read as `[rows, width]` row-major, read-only.
    public func rows(_ rows: Range<Int>, width: Int) -> UnsafeBufferPointer<Float> {
        precondition(
            rows.lowerBound >= 0 && rows.upperBound * width <= count,
            "rows \(rows) of width \(width) in \(count) floats")
        return UnsafeBufferPointer(start: pointer + rows.lowerBound * width, count: rows.count * width)
    }
}
