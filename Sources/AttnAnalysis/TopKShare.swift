/// The top-k importance shares of one block: the sum of the `k` largest `p_j` for k = 1, 5, 10 (JSON keys "1", "5", "10").
public struct TopKShare: Codable, Equatable, Sendable {
    /// The largest `p_j`.
    public var top1: Double
    /// The sum of the 5 largest `p_j`.
    public var top5: Double
    /// The sum of the 10 largest `p_j`.
    public var top10: Double

    /// Shares for k = 1, 5, 10.
    public init(top1: Double, top5: Double, top10: Double) {
        self.top1 = top1
        self.top5 = top5
        self.top10 = top10
    }

    /// The shares of a block's column-importance distribution.
    public init(_ importance: ColumnImportance) {
        self.init(top1: importance.topShare(1), top5: importance.topShare(5), top10: importance.topShare(10))
    }

    enum CodingKeys: String, CodingKey {
        case top1 = "1"
        case top5 = "5"
        case top10 = "10"
    }
}
