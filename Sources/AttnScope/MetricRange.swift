import AttnAnalysis
import AttnRender

/// The values each summary metric can take (metrics.md), declared once: charts clip their ±sd
/// bands and ticks to it and atlases colour over it.
enum MetricRange {
    /// Shares, fractions and normalized entropies.
    static let unit: ClosedRange<Float> = 0...1
    /// Entropies, norms, ratios of norms and counts.
    static let nonNegative: ClosedRange<Float> = 0...Float.greatestFiniteMagnitude

    /// The range of the metric named `metric` (a key of `summary.layers`, `summary.heads` or
    /// `summary.hidden_states`, or `summary.sink_rate`): a new ``MetricName`` must be given one here.
    static func of(_ metric: MetricName) -> ClosedRange<Float> {
        switch metric {
        case .layerSinkRate, .sinkRate, .firstTokenImportance, .top1Share, .top5Share, .top10Share,
            .normalizedHeadEntropy, .valueEmbeddingFirstTokenShare, .valueEmbeddingShare, .sinkMass,
            .previousTokenScore, .duplicateTokenScore, .inductionScore, .valueWeightedFirstTokenShare:
            unit
        case .attentionEntropy, .headEntropy, .valueDrainRatio, .firstTokenHiddenRatio, .peakHiddenRatio,
            .massiveActivationCount, .valueEmbeddingGate, .headOutputNorm:
            nonNegative
        case .tokenSimilarity:
            -1...1
        }
    }

    /// A linear colour scale over the metric's range when both ends are finite, else from 0 to 1.
    static func colorScale(_ metric: MetricName) -> ColorScale {
        let range = of(metric),
            bounded = -Float.greatestFiniteMagnitude < range.lowerBound && range.upperBound < .greatestFiniteMagnitude
        return bounded ? .linear(min: range.lowerBound, max: range.upperBound) : .linear(min: 0, max: 1)
    }
}
