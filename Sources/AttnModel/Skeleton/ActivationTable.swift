import AttnKernels
import Synchronization

/// The activation buffers of a forward pass over up to ``rows`` token rows,
/// allocated once from an ``ActivationPlan`` and reused by every block (and,
/// through ``ActivationPool``, by the model's next batch).
///
/// Buffers are handed out whole; a buffer's first `rows·width` floats are
/// the rows of the batch being run. Contents left by an earlier batch are
/// never read: every buffer is written before it is read in each pass.
final class ActivationTable: @unchecked Sendable {
    /// The most token rows the buffers hold.
    let rows: Int
    let plan: ActivationPlan
    private let buffers: [ActivationName: FloatBuffer]

    /// Buffers for `rows` rows of every entry of `plan`.
    init(rows: Int, plan: ActivationPlan) {
        self.rows = rows
        self.plan = plan
        buffers = plan.widths.mapValues { FloatBuffer(count: rows * $0) }.merging(
            plan.fixed.mapValues { FloatBuffer(count: $0) }
        ) { a, _ in a }
    }

    /// The buffer `name`; the plan must include it.
    subscript(_ name: ActivationName) -> FloatBuffer {
        guard let buffer = buffers[name] else {
            preconditionFailure("activation \(name) is not in the forward pass's plan")
        }
        return buffer
    }
}

/// Keeps a model's last ``ActivationTable`` between forward passes, so that
/// a run over many prompts allocates its activations once.
final class ActivationPool: Sendable {
    private let kept = Mutex<ActivationTable?>(nil)

    init() {}

    /// A table for `rows` rows of `plan`: the kept one when it is large
    /// enough, a new one otherwise. Hand it back with ``recycle(_:)``.
    func table(rows: Int, plan: ActivationPlan) -> ActivationTable {
        let reused = kept.withLock { kept -> ActivationTable? in
            defer { kept = nil }
            return kept.flatMap { $0.rows >= rows && $0.plan == plan ? $0 : nil }
        }
        return reused ?? ActivationTable(rows: rows, plan: plan)
    }

    /// Keeps `table` for the next pass.
    func recycle(_ table: ActivationTable) {
        kept.withLock { $0 = table }
    }
}
