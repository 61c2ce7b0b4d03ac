import AttnRender

/// The values each summary metric can take (metrics.md), declared once: charts clip their ±sd
/// bands and ticks to it and atlases colour over it.
enum MetricRange {
    /// Shares, fractions and normalized entropies.
    static let unit: ClosedRange<Float> = 0...1
    /// Entropies, norms, ratios of norms and counts.
    static let nonNegative: ClosedRange<Float> = 0...Float.greatestFiniteMagnitude

    /// The range of the metric named `metric` (a key of `summary.layers`, `summary.heads` or
    /// `summary.hidden_states`); unbounded for a name not listed.
    static func of(_ metric: String) -> ClosedRange<Float> {
        switch metric {
        case "layer_sink_rate", "sink_rate", "first_token_importance", "top_1_share", "top_5_share", "top_10_share",
             "normalized_head_entropy", "value_embedding_first_token_share", "value_embedding_share", "sink_mass",
             "previous_token_score", "duplicate_token_score", "induction_score", "value_weighted_first_token_share":
            unit
        case "attention_entropy", "head_entropy", "value_drain_ratio", "first_token_hidden_ratio", "peak_hidden_ratio",
             "massive_activation_count", "value_embedding_gate", "head_output_norm":
            nonNegative
        case "token_similarity":
            -1...1
        default:
            -Float.greatestFiniteMagnitude...Float.greatestFiniteMagnitude
        }
    }

    /// A linear colour scale over the metric's range when both ends are finite, else from 0 to 1.
    static func colorScale(_ metric: String) -> ColorScale {
        let range = of(metric), bounded = -Float.greatestFiniteMagnitude < range.lowerBound && range.upperBound < .greatestFiniteMagnitude
        return bounded ? .linear(min: range.lowerBound, max: range.upperBound) : .linear(min: 0, max: 1)
    }
}
