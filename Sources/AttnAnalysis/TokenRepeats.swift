/// For every position of a sample, the earlier positions holding the same
/// token id: what the duplicate-token and induction scores sum over.
///
/// Positions are grouped by token id, ascending within a group, so the
/// earlier copies of position `i`'s token are one contiguous run of
/// ``order``: `order[groupStart[i] ..< rank[i]]`. Built in `O(T log T)`,
/// `3·T` integers whatever the prompt.
public struct TokenRepeats: Equatable, Sendable {
    /// Every position, ordered by (token id, position).
    let order: [Int]
    /// Where position `i`'s group starts in ``order``.
    let groupStart: [Int]
    /// Where position `i` itself sits in ``order``.
    let rank: [Int]

    /// The sample's length `T`.
    public var count: Int { order.count }

    /// The repeats of `tokenIDs` (any integers; only equality matters).
    public init(tokenIDs: [Int]) {
        let order = tokenIDs.indices.sorted { (tokenIDs[$0], $0) < (tokenIDs[$1], $1) }
        var groupStart = [Int](repeating: 0, count: tokenIDs.count), rank = groupStart
        var start = 0
        for (index, position) in order.enumerated() {
            if index > 0, tokenIDs[order[index - 1]] != tokenIDs[position] { start = index }
            groupStart[position] = start
            rank[position] = index
        }
        self.order = order
        self.groupStart = groupStart
        self.rank = rank
    }

    /// The number of positions `T`.
    public var tokenCount: Int { order.count }

    /// The positions `p < i` with `x_p = x_i`, ascending.
    func earlierCopies(of i: Int) -> ArraySlice<Int> {
        order[groupStart[i]..<rank[i]]
    }
}
