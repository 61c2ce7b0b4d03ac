/// The metrics of one residual-stream state `h[l]`, `l = 0 … L` (JSON `hidden_states[l]`).
public struct HiddenStateMetrics: Codable, Equatable, Sendable {
    /// `hidden_norm[l][t]` for `t = 0 … T-1`.
    public var hiddenNorm: [Float]
    /// `first_token_hidden_ratio`: `hidden_norm[0] / mean over t ≥ 1`; null when `T = 1` or that mean is 0.
    @Nullable public var firstTokenHiddenRatio: Double?
    /// `peak_hidden_ratio`: max over t / median over t of `hidden_norm`; null when the median is 0.
    @Nullable public var peakHiddenRatio: Double?
    /// `peak_token`: the first token with the largest hidden norm.
    public var peakToken: Int
    /// `token_similarity`: mean cosine over ordered token pairs `i ≠ j`; null when `T < 2`.
    @Nullable public var tokenSimilarity: Double?
    /// `massive_activations`; null for `h[0]`, which metrics.md leaves out (defined for `l ≥ 1`).
    @Nullable public var massiveActivations: MassiveActivations?

    /// A hidden state's metrics.
    public init(
        hiddenNorm: [Float], firstTokenHiddenRatio: Double?, peakHiddenRatio: Double?, peakToken: Int,
        tokenSimilarity: Double?, massiveActivations: MassiveActivations?
    ) {
        self.hiddenNorm = hiddenNorm
        self.firstTokenHiddenRatio = firstTokenHiddenRatio
        self.peakHiddenRatio = peakHiddenRatio
        self.peakToken = peakToken
        self.tokenSimilarity = tokenSimilarity
        self.massiveActivations = massiveActivations
    }

    enum CodingKeys: String, CodingKey {
        case hiddenNorm = "hidden_norm"
        case firstTokenHiddenRatio = "first_token_hidden_ratio"
        case peakHiddenRatio = "peak_hidden_ratio"
        case peakToken = "peak_token"
        case tokenSimilarity = "token_similarity"
        case massiveActivations = "massive_activations"
    }
}
