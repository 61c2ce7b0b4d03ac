/// Block numbers written compactly for people: runs of consecutive blocks as ranges ("0-4, 6, 8-10").
enum BlockRanges {
    /// `blocks` (ascending) as comma-separated numbers and ranges; "none" when empty.
    static func text(_ blocks: [Int]) -> String {
        var runs: [ClosedRange<Int>] = []
        for block in blocks {
            if let last = runs.last, block == last.upperBound + 1 {
                runs[runs.count - 1] = last.lowerBound...block
            } else {
                runs.append(block...block)
            }
        }
        guard !runs.isEmpty else { return "none" }
        return runs.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(
            separator: ", ")
    }
}
