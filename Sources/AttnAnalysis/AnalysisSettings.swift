/// Which key and threshold define a sink for the reported sink rates.
public struct AnalysisSettings: Codable, Equatable, Sendable {
    /// A head is a sink head when its key importance at ``sinkKey`` exceeds this (metrics.md ε, default 0.3).
    public var sinkEpsilon: Double
    /// The key position whose importance the sink rate tests (metrics.md k, default 0: the first token).
    public var sinkKey: Int

    /// Settings with the metrics.md defaults `ε = 0.3`, `k = 0` unless given.
    public init(sinkEpsilon: Double = 0.3, sinkKey: Int = 0) {
        self.sinkEpsilon = sinkEpsilon
        self.sinkKey = sinkKey
    }

    enum CodingKeys: String, CodingKey {
        case sinkEpsilon = "sink_epsilon"
        case sinkKey = "sink_key"
    }
}
