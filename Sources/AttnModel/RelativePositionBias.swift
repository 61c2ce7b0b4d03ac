/// A score bias that depends only on the head and on how far a key lies
/// from its query (T5's and MPNet's relative attention bias), tabulated for
/// prompts of up to `T` tokens: `values[h·(2T−1) + (j − i + T − 1)]` for
/// query `i`, key `j`.
struct RelativePositionBias: Sendable {
    let tokens: Int
    let heads: Int
    private let values: [Float]

    /// The table for prompts of up to `tokens` tokens: `value(head, offset)` for every
    /// head and offset `j − i` in `−(T−1) … T−1`.
    init(tokens: Int, heads: Int, value: (_ head: Int, _ offset: Int) -> Float) {
        precondition(tokens > 0 && heads > 0, "a bias table needs tokens and heads")
        self.tokens = tokens
        self.heads = heads
        let width = 2 * tokens - 1
        var values = [Float](repeating: 0, count: heads * width)
        for h in 0..<heads {
            for offset in -(tokens - 1)...(tokens - 1) { values[h * width + offset + tokens - 1] = value(h, offset) }
        }
        self.values = values
    }

    /// Adds query `query`'s biases for keys `keys` to `scores` (`keys.count` floats) of head `head`.
    func add(to scores: UnsafeMutablePointer<Float>, head: Int, query: Int, keys: Range<Int>) {
        assert(
            head < heads && query < tokens && keys.upperBound <= tokens,
            "bias of head \(head), query \(query), keys \(keys)")
        let width = 2 * tokens - 1
        values.withUnsafeBufferPointer { table in
            let row = table.baseAddress! + head * width + keys.lowerBound - query + tokens - 1
            for c in 0..<keys.count { scores[c] += row[c] }
        }
    }
}
