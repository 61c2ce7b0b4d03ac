/// One per-sample figure that a dataset summary averages: its JSON name and how to read it from a sample's metrics.
public struct SummaryFigure<Source>: Sendable {
    /// The key in the summary entry, the metric's name (metrics.md).
    public let name: String
    /// The figure of one sample; nil where it is undefined.
    public let value: @Sendable (Source) -> Double?

    public init(_ name: String, _ value: @escaping @Sendable (Source) -> Double?) {
        self.name = name
        self.value = value
    }
}

extension LayerMetrics {
    /// The figures `summary.layers[l]` averages over samples: a new block metric's summary is one line here.
    public static let summaryFigures: [SummaryFigure<LayerMetrics>] = [
        SummaryFigure("attention_entropy") { $0.attentionEntropy },
        SummaryFigure("layer_sink_rate") { $0.layerSinkRate },
        SummaryFigure("first_token_importance") { $0.firstTokenImportance },
        SummaryFigure("top_1_share") { $0.topKShare.top1 },
        SummaryFigure("top_5_share") { $0.topKShare.top5 },
        SummaryFigure("top_10_share") { $0.topKShare.top10 },
        SummaryFigure("value_drain_ratio") { $0.valueDrainRatio },
        SummaryFigure("head_entropy") { $0.meanHeadEntropy },
        SummaryFigure("normalized_head_entropy") { $0.meanNormalizedHeadEntropy },
        SummaryFigure("sink_mass") { $0.meanOverHeads { $0.sinkMass } },
        SummaryFigure("previous_token_score") { $0.meanOverHeads { $0.previousTokenScore } },
        SummaryFigure("duplicate_token_score") { $0.meanOverHeads { $0.duplicateTokenScore } },
        SummaryFigure("induction_score") { $0.meanOverHeads { $0.inductionScore } },
        SummaryFigure("value_weighted_first_token_share") { $0.meanOverHeads { $0.valueWeightedFirstTokenShare } },
        SummaryFigure("head_output_norm") { $0.meanOverHeads { $0.headOutputNorm } },
    ]
}

extension ValueEmbeddingMetrics {
    /// The figures `summary.layers[l]` adds for a block with a value embedding (means over kv heads);
    /// blocks without one carry none of them.
    public static let summaryFigures: [SummaryFigure<ValueEmbeddingMetrics>] = [
        SummaryFigure("value_embedding_gate") { $0.meanGate },
        SummaryFigure("value_embedding_first_token_share") { $0.meanFirstTokenShare },
        SummaryFigure("value_embedding_share") { $0.meanShare },
    ]
}

extension HeadMetrics {
    /// The figures `summary.heads[l][h]` averages over samples (the atlases draw them).
    public static let summaryFigures: [SummaryFigure<HeadMetrics>] = [
        SummaryFigure("head_entropy") { $0.headEntropy },
        SummaryFigure("normalized_head_entropy") { $0.normalizedHeadEntropy },
        SummaryFigure("first_token_importance") { $0.firstTokenImportance },
        SummaryFigure("sink_mass") { $0.sinkMass },
        SummaryFigure("previous_token_score") { $0.previousTokenScore },
        SummaryFigure("duplicate_token_score") { $0.duplicateTokenScore },
        SummaryFigure("induction_score") { $0.inductionScore },
        SummaryFigure("value_weighted_first_token_share") { $0.valueWeightedFirstTokenShare },
        SummaryFigure("head_output_norm") { $0.headOutputNorm },
    ]
}

extension HiddenStateMetrics {
    /// The figures `summary.hidden_states[l]` averages over samples.
    public static let summaryFigures: [SummaryFigure<HiddenStateMetrics>] = [
        SummaryFigure("first_token_hidden_ratio") { $0.firstTokenHiddenRatio },
        SummaryFigure("peak_hidden_ratio") { $0.peakHiddenRatio },
        SummaryFigure("token_similarity") { $0.tokenSimilarity },
        SummaryFigure("massive_activation_count") { $0.massiveActivations.map { Double($0.count) } },
    ]
}
