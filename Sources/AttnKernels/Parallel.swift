import Foundation
import Synchronization

/// attnscope's threading plan: its own worker threads, OpenBLAS single-threaded.
///
/// OpenBLAS's pthread build (Debian's 0.3.21) parks idle workers in a
/// `sched_yield` spin: two of them on two busy cores burn system time and can
/// stall a run for seconds behind a competing process. So every OpenBLAS call
/// runs on one thread (``BLAS`` sets that before its first product), and the
/// parallelism is attnscope's: a large matrix product is cut into row slices
/// (and a quantized projection into tiles of output columns, decoded in
/// parallel too), and the row blocks of every head of one attention call run
/// side by side, each piece a task
/// that any of ``threads`` workers picks up when it is free. A descheduled
/// worker then only delays the piece it holds, waiting workers block in the
/// kernel instead of spinning, and a loaded machine slows the run in
/// proportion to the load.
///
/// How work is cut never depends on ``threads``: pieces have fixed sizes and
/// their results meet in a fixed order, so every thread count gives the
/// same bits.
///
/// Loops nest safely: a ``forEach(_:_:)`` started while another one runs
/// (on a worker, or from a second caller) runs serially on its caller's thread.
public enum Parallel {
    private static let requested = Atomic<Int>(0)
    private static let busy = Atomic<Bool>(false)

    /// The worker count: the value set by `--threads`, else the number of active cores.
    public static var threads: Int {
        get {
            let n = requested.load(ordering: .relaxed)
            return n > 0 ? n : max(1, ProcessInfo.processInfo.activeProcessorCount)
        }
        set { requested.store(max(0, newValue), ordering: .relaxed) }
    }

    /// The most workers a ``forEach(_:_:)`` over `count` items uses: the
    /// bound on the `worker` index it passes, for per-worker scratch.
    public static func width(_ count: Int) -> Int {
        max(1, min(threads, count))
    }

    /// Calls `body(i)` for `i = 0 ..< count`, on up to ``threads`` threads,
    /// each thread taking the next unclaimed index; returns when all calls have.
    /// Calls for different indices may run at the same time: `body` must touch
    /// only what its index owns.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forEach(count) { i, _ in body(i) }
    }

    /// ``forEach(_:_:)`` that also passes the calling worker's number,
    /// `0 ..< width(count)`: calls with the same `worker` never overlap, so
    /// they may share a scratch buffer. Indices are claimed in increasing order.
    public static func forEach(_ count: Int, _ body: (_ index: Int, _ worker: Int) -> Void) {
        let width = width(count)
        guard width > 1, !busy.exchange(true, ordering: .acquiring) else {
            for i in 0..<count { body(i, 0) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: width) { worker in
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < count else { return }
                    work(i, worker)
                }
            }
        }
    }
}
