import Foundation

/// Hands an ``AttentionRowConsumer`` each head's row blocks in query order
/// while blocks are computed on several threads at once.
///
/// ``consume(block:of:)`` for block `b` of a head waits until that head's
/// block `b − 1` has been consumed. With blocks claimed in query order (as
/// ``Attention/run`` claims them), the oldest block in progress never waits,
/// so the wait always ends; a waiting worker sleeps in the kernel.
final class OrderedConsumer: @unchecked Sendable {
    private let consumer: any AttentionRowConsumer
    private let turn = NSCondition()
    /// Blocks of head `h` consumed so far, `[H]`; read and written under `turn`.
    private var consumed: [Int]

    init(_ consumer: any AttentionRowConsumer, heads: Int) {
        self.consumer = consumer
        consumed = Array(repeating: 0, count: heads)
    }

    /// Passes `rows`, block `block` of its head, on once the head's earlier blocks have been.
    func consume(block: Int, of rows: borrowing AttentionRows) {
        let head = rows.head
        turn.lock()
        while consumed[head] != block { turn.wait() }
        turn.unlock()
        consumer.consume(rows)
        turn.lock()
        consumed[head] += 1
        turn.broadcast()
        turn.unlock()
    }
}
