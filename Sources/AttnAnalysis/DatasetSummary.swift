/// Per-layer means, standard deviations and counts over the samples of a dataset (JSON `summary`).
///
/// Every figure is averaged over samples unweighted (see ``Statistic``).
/// Block figures sit in `layers` (`L` entries, block `l`); residual-state
/// figures sit beside them in `hidden_states` (`L + 1` entries, `h[0] … h[L]`),
/// indexed as in each sample, because the states outnumber the blocks by one.
public struct DatasetSummary: Codable, Equatable, Sendable {
    /// The number of samples summarized.
    public var samples: Int
    /// The per-sample overall `sink_rate`.
    public var sinkRate: Statistic
    /// Per block, `L` entries.
    public var layers: [LayerSummary]
    /// Per residual state, `L + 1` entries.
    public var hiddenStates: [HiddenStateSummary]

    /// Summarizes `samples`, which must be non-empty and share one block count.
    public init(samples: [SampleMetrics]) throws {
        guard let first = samples.first else { throw AnalysisError.emptyDataset }
        for sample in samples {
            guard sample.layers.count == first.layers.count else {
                throw AnalysisError.inconsistent(what: "dataset block count", expected: first.layers.count, actual: sample.layers.count)
            }
            guard sample.hiddenStates.count == first.hiddenStates.count else {
                throw AnalysisError.inconsistent(
                    what: "dataset hidden state count", expected: first.hiddenStates.count, actual: sample.hiddenStates.count)
            }
        }
        self.samples = samples.count
        sinkRate = Statistic(samples.map(\.sinkRate))
        layers = first.layers.indices.map { l in LayerSummary(samples.map { $0.layers[l] }) }
        hiddenStates = first.hiddenStates.indices.map { l in HiddenStateSummary(samples.map { $0.hiddenStates[l] }) }
    }

    enum CodingKeys: String, CodingKey {
        case samples
        case sinkRate = "sink_rate"
        case layers
        case hiddenStates = "hidden_states"
    }
}

/// One block's figures over a dataset; each key is the per-layer metric's name (top-k shares flattened to `top_1_share` …).
public struct LayerSummary: Codable, Equatable, Sendable {
    /// Of `attention_entropy`.
    public var attentionEntropy: Statistic
    /// Of `layer_sink_rate`.
    public var layerSinkRate: Statistic
    /// Of `first_token_importance` (mean over heads).
    public var firstTokenImportance: Statistic
    /// Of `top_k_share["1"]`.
    public var top1Share: Statistic
    /// Of `top_k_share["5"]`.
    public var top5Share: Statistic
    /// Of `top_k_share["10"]`.
    public var top10Share: Statistic
    /// Of `value_drain_ratio`, over the samples where it is defined.
    public var valueDrainRatio: Statistic
    /// Of the per-sample mean over heads of `head_entropy`.
    public var headEntropy: Statistic
    /// Of the per-sample mean over heads of `normalized_head_entropy`.
    public var normalizedHeadEntropy: Statistic

    /// The statistics of one block over the samples' metrics of that block.
    public init(_ layers: [LayerMetrics]) {
        attentionEntropy = Statistic(layers.map(\.attentionEntropy))
        layerSinkRate = Statistic(layers.map(\.layerSinkRate))
        firstTokenImportance = Statistic(layers.map(\.firstTokenImportance))
        top1Share = Statistic(layers.map(\.topKShare.top1))
        top5Share = Statistic(layers.map(\.topKShare.top5))
        top10Share = Statistic(layers.map(\.topKShare.top10))
        valueDrainRatio = Statistic(layers.map(\.valueDrainRatio))
        headEntropy = Statistic(layers.map(\.meanHeadEntropy))
        normalizedHeadEntropy = Statistic(layers.map(\.meanNormalizedHeadEntropy))
    }

    enum CodingKeys: String, CodingKey {
        case attentionEntropy = "attention_entropy"
        case layerSinkRate = "layer_sink_rate"
        case firstTokenImportance = "first_token_importance"
        case top1Share = "top_1_share"
        case top5Share = "top_5_share"
        case top10Share = "top_10_share"
        case valueDrainRatio = "value_drain_ratio"
        case headEntropy = "head_entropy"
        case normalizedHeadEntropy = "normalized_head_entropy"
    }
}

/// One residual state's figures over a dataset; each key is the per-state metric's name.
public struct HiddenStateSummary: Codable, Equatable, Sendable {
    /// Of `first_token_hidden_ratio`, over the samples where it is defined.
    public var firstTokenHiddenRatio: Statistic
    /// Of `peak_hidden_ratio`, over the samples where it is defined.
    public var peakHiddenRatio: Statistic
    /// Of `token_similarity`, over the samples with `T ≥ 2`.
    public var tokenSimilarity: Statistic
    /// Of `massive_activations.count`; undefined for `h[0]`.
    public var massiveActivationCount: Statistic

    /// The statistics of one residual state over the samples' metrics of that state.
    public init(_ states: [HiddenStateMetrics]) {
        firstTokenHiddenRatio = Statistic(states.map(\.firstTokenHiddenRatio))
        peakHiddenRatio = Statistic(states.map(\.peakHiddenRatio))
        tokenSimilarity = Statistic(states.map(\.tokenSimilarity))
        massiveActivationCount = Statistic(states.map { $0.massiveActivations.map { Double($0.count) } })
    }

    enum CodingKeys: String, CodingKey {
        case firstTokenHiddenRatio = "first_token_hidden_ratio"
        case peakHiddenRatio = "peak_hidden_ratio"
        case tokenSimilarity = "token_similarity"
        case massiveActivationCount = "massive_activation_count"
    }
}
