/// The metrics of one query head `h` of one block (JSON `layers[l].heads[h]`).
public struct HeadMetrics: Codable, Equatable, Sendable {
    /// `head_entropy[l][h]`: mean row entropy over all queries, nats.
    public var headEntropy: Double
    /// `normalized_head_entropy[l][h]`: mean of `H_i / ln n_i` over queries with `n_i > 1`; null when `T = 1`.
    @Nullable public var normalizedHeadEntropy: Double?
    /// `first_token_importance[l][h] = α[l][h][0]`.
    public var firstTokenImportance: Double

    /// A head's metrics.
    public init(headEntropy: Double, normalizedHeadEntropy: Double?, firstTokenImportance: Double) {
        self.headEntropy = headEntropy
        self.normalizedHeadEntropy = normalizedHeadEntropy
        self.firstTokenImportance = firstTokenImportance
    }

    enum CodingKeys: String, CodingKey {
        case headEntropy = "head_entropy"
        case normalizedHeadEntropy = "normalized_head_entropy"
        case firstTokenImportance = "first_token_importance"
    }
}
