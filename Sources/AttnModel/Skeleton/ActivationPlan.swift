/// The activation buffers one forward pass allocates, as floats per token
/// row: both what ``ActivationTable`` allocates and what the memory check
/// counts, so the two cannot drift apart.
struct ActivationPlan: Sendable, Equatable {
    /// Floats per row of each buffer.
    private(set) var widths: [ActivationName: Int] = [:]

    /// A plan of `widths`.
    init(_ widths: [ActivationName: Int] = [:]) {
        self.widths = widths
    }

    /// Adds (or widens to) `width` floats per row for `name`.
    mutating func include(_ name: ActivationName, width: Int) {
        widths[name] = max(widths[name] ?? 0, width)
    }

    /// Floats per token row over every buffer, saturating at `Int.max`.
    var floatsPerRow: Int {
        widths.values.reduce(0) { total, width in
            let (sum, overflow) = total.addingReportingOverflow(width)
            return overflow ? .max : sum
        }
    }

    /// Bytes of every buffer for `rows` rows, saturating at `Int.max`.
    func bytes(rows: Int) -> Int {
        let (floats, o1) = floatsPerRow.multipliedReportingOverflow(by: rows)
        let (bytes, o2) = floats.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        return o1 || o2 ? .max : bytes
    }
}
