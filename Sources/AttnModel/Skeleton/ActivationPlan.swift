/// The activation buffers one forward pass allocates, as floats per token
/// row (and, for the few whose size does not grow with the rows, as floats):
/// both what ``ActivationTable`` allocates and what the memory check counts,
/// so the two cannot drift apart.
struct ActivationPlan: Sendable, Equatable {
    /// Floats per row of each buffer.
    private(set) var widths: [ActivationName: Int] = [:]
    /// Floats of each buffer whose size does not depend on the rows (one expert's decoded weights).
    private(set) var fixed: [ActivationName: Int] = [:]

    /// A plan of `widths` floats per row and `fixed` floats.
    init(_ widths: [ActivationName: Int] = [:], fixed: [ActivationName: Int] = [:]) {
        self.widths = widths
        self.fixed = fixed
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
        let fixedFloats = fixed.values.reduce(0) { total, count in
            let (sum, overflow) = total.addingReportingOverflow(count)
            return overflow ? .max : sum
        }
        let (floats, o1) = floatsPerRow.multipliedReportingOverflow(by: rows)
        let (all, o2) = floats.addingReportingOverflow(fixedFloats)
        let (bytes, o3) = all.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        return o1 || o2 || o3 ? .max : bytes
    }
}
