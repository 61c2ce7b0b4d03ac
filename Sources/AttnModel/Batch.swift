import AttnKernels

/// Several prompts run as one forward pass: their activations stacked
/// row-wise, `[Σ T_s, width]`, prompt `s` at rows `prompts[s]`.
///
/// Every product over the rows is cut at ``BLAS/sliceRows`` rows from each
/// prompt's first row (``slices``), so a prompt's products are the very
/// calls it gets when it runs alone: batching changes no bit of its results,
/// it only lets one decoded weight tile serve every prompt of the batch.
struct Batch {
    /// The rows of each prompt, in order, back to back.
    let prompts: [Range<Int>]
    /// Row slices of at most ``BLAS/sliceRows`` rows, none spanning two prompts.
    let slices: [Range<Int>]

    /// The batch of prompts of `lengths` tokens, in order.
    init(lengths: [Int]) {
        var prompts: [Range<Int>] = [], slices: [Range<Int>] = [], first = 0
        for length in lengths {
            prompts.append(first..<(first + length))
            for start in stride(from: first, to: first + length, by: BLAS.sliceRows) {
                slices.append(start..<min(start + BLAS.sliceRows, first + length))
            }
            first += length
        }
        self.prompts = prompts
        self.slices = slices
    }

    /// All rows of the batch.
    var rows: Int { prompts.last?.upperBound ?? 0 }
}

/// The most rows ``promptBatches(lengths:)`` puts in one batch: short prompts
/// are run 1,024 rows at a time, so that each decoded weight tile serves
/// many prompts, while the activations stay those of one 1,024-token prompt.
public let batchRows = 1024

/// The most prompts ``promptBatches(lengths:)`` puts in one batch (sixteen
/// 64-token prompts fill ``batchRows``), so that the per-sample state held
/// until a batch ends does not grow with the prompt count.
public let batchPrompts = 16

/// Consecutive prompts of `lengths` tokens grouped into batches of at most
/// ``batchPrompts`` prompts and ``batchRows`` rows (a longer prompt runs
/// alone): index ranges into `lengths`, in order.
public func promptBatches(lengths: [Int]) -> [Range<Int>] {
    var batches: [Range<Int>] = [], first = 0, rows = 0
    for (i, length) in lengths.enumerated() {
        if i > first, rows + length > batchRows || i - first == batchPrompts {
            batches.append(first..<i)
            (first, rows) = (i, 0)
        }
        rows += length
    }
    if first < lengths.count { batches.append(first..<lengths.count) }
    return batches
}
