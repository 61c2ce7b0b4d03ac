/// The metrics of one block `l` of one sample (JSON `layers[l]`).
public struct LayerMetrics: Codable, Equatable, Sendable {
    /// `attention_entropy[l]`: the paper's column-importance entropy, nats.
    public var attentionEntropy: Double
    /// `layer_sink_rate`: the fraction of this block's heads whose importance at the sink key exceeds ε.
    public var layerSinkRate: Double
    /// `first_token_importance`: `α[l][h][0]` averaged over heads.
    public var firstTokenImportance: Double
    /// `top_k_share` for k = 1, 5, 10.
    public var topKShare: TopKShare
    /// `top_keys`: the three keys of largest `p_j`, largest first.
    public var topKeys: [TopKey]
    /// `value_norm[l][t]` for `t = 0 … T-1`.
    public var valueNorm: [Float]
    /// `value_drain_ratio`: `value_norm[0] / mean over t ≥ 1`; null when `T = 1` or that mean is 0.
    @Nullable public var valueDrainRatio: Double?
    /// Per query head, `H` entries.
    public var heads: [HeadMetrics]
    /// What the block's value embedding adds to its values; nil (and left out of JSON) on a block without one.
    public var valueEmbedding: ValueEmbeddingMetrics?

    /// A block's metrics.
    public init(
        attentionEntropy: Double, layerSinkRate: Double, firstTokenImportance: Double, topKShare: TopKShare,
        topKeys: [TopKey] = [], valueNorm: [Float], valueDrainRatio: Double?, heads: [HeadMetrics]
    ) {
        self.attentionEntropy = attentionEntropy
        self.layerSinkRate = layerSinkRate
        self.firstTokenImportance = firstTokenImportance
        self.topKShare = topKShare
        self.topKeys = topKeys
        self.valueNorm = valueNorm
        self.valueDrainRatio = valueDrainRatio
        self.heads = heads
    }

    /// The mean over heads of `head_entropy`.
    public var meanHeadEntropy: Double {
        heads.reduce(0) { $0 + $1.headEntropy } / Double(max(heads.count, 1))
    }

    /// The mean over heads of `normalized_head_entropy`; nil when it is undefined (`T = 1`).
    public var meanNormalizedHeadEntropy: Double? { meanOverHeads { $0.normalizedHeadEntropy } }

    /// The mean of a per-head figure over the heads where it is defined; nil when it is defined on none.
    public func meanOverHeads(_ figure: (HeadMetrics) -> Double?) -> Double? {
        let defined = heads.compactMap(figure)
        return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
    }

    enum CodingKeys: String, CodingKey {
        case attentionEntropy = "attention_entropy"
        case layerSinkRate = "layer_sink_rate"
        case firstTokenImportance = "first_token_importance"
        case topKShare = "top_k_share"
        case topKeys = "top_keys"
        case valueNorm = "value_norm"
        case valueDrainRatio = "value_drain_ratio"
        case heads
        case valueEmbedding = "value_embedding"
    }
}
