/// One per-sample figure that a dataset summary averages: its JSON name and how to read it from a sample's metrics.
public struct SummaryFigure<Source>: Sendable {
    /// The key in the summary entry, the metric's name (metrics.md).
    public let name: MetricName
    /// The figure of one sample; nil where it is undefined.
    public let value: @Sendable (Source) -> Double?

    public init(_ name: MetricName, _ value: @escaping @Sendable (Source) -> Double?) {
        self.name = name
        self.value = value
    }
}

extension LayerMetrics {
    /// The figures `summary.layers[l]` averages over samples: a new block metric's summary is one line here.
    public static let summaryFigures: [SummaryFigure<LayerMetrics>] = [
        SummaryFigure(.attentionEntropy) { $0.attentionEntropy },
        SummaryFigure(.layerSinkRate) { $0.layerSinkRate },
        SummaryFigure(.firstTokenImportance) { $0.firstTokenImportance },
        SummaryFigure(.top1Share) { $0.topKShare.top1 },
        SummaryFigure(.top5Share) { $0.topKShare.top5 },
        SummaryFigure(.top10Share) { $0.topKShare.top10 },
        SummaryFigure(.valueDrainRatio) { $0.valueDrainRatio },
        SummaryFigure(.headEntropy) { $0.meanHeadEntropy },
        SummaryFigure(.normalizedHeadEntropy) { $0.meanNormalizedHeadEntropy },
        SummaryFigure(.sinkMass) { $0.meanOverHeads { $0.sinkMass } },
        SummaryFigure(.previousTokenScore) { $0.meanOverHeads { $0.previousTokenScore } },
        SummaryFigure(.duplicateTokenScore) { $0.meanOverHeads { $0.duplicateTokenScore } },
        SummaryFigure(.inductionScore) { $0.meanOverHeads { $0.inductionScore } },
        SummaryFigure(.valueWeightedFirstTokenShare) { $0.meanOverHeads { $0.valueWeightedFirstTokenShare } },
        SummaryFigure(.headOutputNorm) { $0.meanOverHeads { $0.headOutputNorm } },
    ]
}

extension ValueEmbeddingMetrics {
    /// The figures `summary.layers[l]` adds for a block with a value embedding (means over kv heads);
    /// blocks without one carry none of them.
    public static let summaryFigures: [SummaryFigure<ValueEmbeddingMetrics>] = [
        SummaryFigure(.valueEmbeddingGate) { $0.meanGate },
        SummaryFigure(.valueEmbeddingFirstTokenShare) { $0.meanFirstTokenShare },
        SummaryFigure(.valueEmbeddingShare) { $0.meanShare },
    ]
}

extension HeadMetrics {
    /// The figures `summary.heads[l][h]` averages over samples (the atlases draw them).
    public static let summaryFigures: [SummaryFigure<HeadMetrics>] = [
        SummaryFigure(.headEntropy) { $0.headEntropy },
        SummaryFigure(.normalizedHeadEntropy) { $0.normalizedHeadEntropy },
        SummaryFigure(.firstTokenImportance) { $0.firstTokenImportance },
        SummaryFigure(.sinkMass) { $0.sinkMass },
        SummaryFigure(.previousTokenScore) { $0.previousTokenScore },
        SummaryFigure(.duplicateTokenScore) { $0.duplicateTokenScore },
        SummaryFigure(.inductionScore) { $0.inductionScore },
        SummaryFigure(.valueWeightedFirstTokenShare) { $0.valueWeightedFirstTokenShare },
        SummaryFigure(.headOutputNorm) { $0.headOutputNorm },
    ]
}

extension HiddenStateMetrics {
    /// The figures `summary.hidden_states[l]` averages over samples.
    public static let summaryFigures: [SummaryFigure<HiddenStateMetrics>] = [
        SummaryFigure(.firstTokenHiddenRatio) { $0.firstTokenHiddenRatio },
        SummaryFigure(.peakHiddenRatio) { $0.peakHiddenRatio },
        SummaryFigure(.tokenSimilarity) { $0.tokenSimilarity },
        SummaryFigure(.massiveActivationCount) { $0.massiveActivations.map { Double($0.count) } },
    ]
}
