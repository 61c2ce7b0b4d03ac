/// The name of a summary metric (metrics.md), as `metrics.json` spells it (the raw value).
///
/// Charts, atlases, colour ranges and head roles name the metric they read
/// by a case of this enum, so a misspelt name does not compile (a string key
/// would draw an all-NaN chart).
public enum MetricName: String, CaseIterable, Codable, Comparable, Sendable {
    // summary.layers[l]
    case attentionEntropy = "attention_entropy"
    case layerSinkRate = "layer_sink_rate"
    case firstTokenImportance = "first_token_importance"
    case top1Share = "top_1_share"
    case top5Share = "top_5_share"
    case top10Share = "top_10_share"
    case valueDrainRatio = "value_drain_ratio"
    case headEntropy = "head_entropy"
    case normalizedHeadEntropy = "normalized_head_entropy"
    case sinkMass = "sink_mass"
    case previousTokenScore = "previous_token_score"
    case duplicateTokenScore = "duplicate_token_score"
    case inductionScore = "induction_score"
    case valueWeightedFirstTokenShare = "value_weighted_first_token_share"
    case headOutputNorm = "head_output_norm"
    case valueEmbeddingGate = "value_embedding_gate"
    case valueEmbeddingFirstTokenShare = "value_embedding_first_token_share"
    case valueEmbeddingShare = "value_embedding_share"
    // summary.hidden_states[l]
    case firstTokenHiddenRatio = "first_token_hidden_ratio"
    case peakHiddenRatio = "peak_hidden_ratio"
    case tokenSimilarity = "token_similarity"
    case massiveActivationCount = "massive_activation_count"
    // summary.sink_rate
    case sinkRate = "sink_rate"

    /// Ordered by the JSON spelling (how `metrics.json` sorts its keys).
    public static func < (a: MetricName, b: MetricName) -> Bool { a.rawValue < b.rawValue }
}
