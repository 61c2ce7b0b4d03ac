/// The metrics of one query head `h` of one block (JSON `layers[l].heads[h]`).
public struct HeadMetrics: Codable, Equatable, Sendable {
    /// `head_entropy[l][h]`: mean row entropy over all queries, nats.
    public var headEntropy: Double
    /// `normalized_head_entropy[l][h]`: mean of `H_i / ln n_i` over queries with `n_i > 1`; null when `T = 1`.
    @Nullable public var normalizedHeadEntropy: Double?
    /// `first_token_importance[l][h] = α[l][h][0]`.
    public var firstTokenImportance: Double
    /// `sink_mass`: the mean over queries of `1 − Σ_j A_ij` (0 up to rounding for an ordinary softmax).
    public var sinkMass: Double
    /// `previous_token_score`; null when no query sees its previous token.
    @Nullable public var previousTokenScore: Double?
    /// `duplicate_token_score`; null when no query sees an earlier copy of its token.
    @Nullable public var duplicateTokenScore: Double?
    /// `induction_score`; null when no query sees a key that follows an earlier copy of its token.
    @Nullable public var inductionScore: Double?
    /// `value_weighted_first_token_share`: token 0's share of the head's norm-weighted attention.
    @Nullable public var valueWeightedFirstTokenShare: Double?
    /// `head_output_norm`: the mean over queries of `‖(Σ_j A_ij v_j) W_O^h‖₂`.
    @Nullable public var headOutputNorm: Double?

    /// A head's metrics.
    public init(
        headEntropy: Double, normalizedHeadEntropy: Double?, firstTokenImportance: Double, sinkMass: Double = 0,
        previousTokenScore: Double? = nil, duplicateTokenScore: Double? = nil, inductionScore: Double? = nil,
        valueWeightedFirstTokenShare: Double? = nil, headOutputNorm: Double? = nil
    ) {
        self.headEntropy = headEntropy
        self.normalizedHeadEntropy = normalizedHeadEntropy
        self.firstTokenImportance = firstTokenImportance
        self.sinkMass = sinkMass
        self.previousTokenScore = previousTokenScore
        self.duplicateTokenScore = duplicateTokenScore
        self.inductionScore = inductionScore
        self.valueWeightedFirstTokenShare = valueWeightedFirstTokenShare
        self.headOutputNorm = headOutputNorm
    }

    /// A head's metrics from its streamed statistics.
    public init(_ statistics: HeadStatistics) {
        self.init(
            headEntropy: statistics.entropy, normalizedHeadEntropy: statistics.normalizedEntropy,
            firstTokenImportance: statistics.keyImportance[0], sinkMass: statistics.sinkMass,
            previousTokenScore: statistics.previousTokenScore, duplicateTokenScore: statistics.duplicateTokenScore,
            inductionScore: statistics.inductionScore,
            valueWeightedFirstTokenShare: statistics.valueWeightedFirstTokenShare,
            headOutputNorm: statistics.headOutputNorm)
    }

    enum CodingKeys: String, CodingKey {
        case headEntropy = "head_entropy"
        case normalizedHeadEntropy = "normalized_head_entropy"
        case firstTokenImportance = "first_token_importance"
        case sinkMass = "sink_mass"
        case previousTokenScore = "previous_token_score"
        case duplicateTokenScore = "duplicate_token_score"
        case inductionScore = "induction_score"
        case valueWeightedFirstTokenShare = "value_weighted_first_token_share"
        case headOutputNorm = "head_output_norm"
    }
}
