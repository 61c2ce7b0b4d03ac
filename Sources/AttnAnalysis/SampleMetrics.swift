/// Every metric of one sample (JSON `samples[i]` of metrics.json).
public struct SampleMetrics: Codable, Equatable, Sendable {
    /// The input text, when the sample came from text (omitted otherwise).
    public var text: String?
    /// The token ids the model saw, `T` entries.
    public var tokenIDs: [Int]
    /// The tokens as strings, `T` entries.
    public var tokens: [String]
    /// `sink_rate`: the fraction of all `(l, h)` pairs whose importance at the sink key exceeds ε.
    public var sinkRate: Double
    /// Per block, `L` entries.
    public var layers: [LayerMetrics]
    /// Per residual state `h[0] … h[L]`, `L + 1` entries.
    public var hiddenStates: [HiddenStateMetrics]

    /// A sample's metrics.
    public init(
        text: String?, tokenIDs: [Int], tokens: [String], sinkRate: Double,
        layers: [LayerMetrics], hiddenStates: [HiddenStateMetrics]
    ) {
        self.text = text
        self.tokenIDs = tokenIDs
        self.tokens = tokens
        self.sinkRate = sinkRate
        self.layers = layers
        self.hiddenStates = hiddenStates
    }

    enum CodingKeys: String, CodingKey {
        case text
        case tokenIDs = "token_ids"
        case tokens
        case sinkRate = "sink_rate"
        case layers
        case hiddenStates = "hidden_states"
    }
}
