/// Per-layer means, standard deviations and counts over the samples of a dataset (JSON `summary`).
///
/// Every figure is averaged over samples unweighted (see ``Statistic``), as
/// running accumulators: samples are added one at a time and summaries of
/// disjoint sample sets merge exactly. Block figures sit in `layers` (`L`
/// entries, block `l`, keys from ``LayerMetrics/summaryFigures``);
/// residual-state figures in `hidden_states` (`L + 1` entries, `h[0] … h[L]`);
/// per-head figures in `heads` (`L × H`).
public struct DatasetSummary: Codable, Equatable, Sendable {
    /// The number of samples summarized.
    public private(set) var samples = 0
    /// The per-sample overall `sink_rate`.
    public private(set) var sinkRate = Statistic()
    /// Per block, `L` entries.
    public private(set) var layers: [FigureStatistics] = []
    /// Per residual state, `L + 1` entries.
    public private(set) var hiddenStates: [FigureStatistics] = []
    /// Per block and query head, `L × H` entries.
    public private(set) var heads: [[FigureStatistics]] = []

    /// A summary of no samples.
    public init() {}

    /// Summarizes `samples`, which must be non-empty and share one shape.
    public init(samples: [SampleMetrics]) throws {
        for sample in samples { try add(sample) }
        guard self.samples > 0 else { throw AnalysisError.emptyDataset }
    }

    /// Adds one sample; it must have the block, state and head counts of the samples before it.
    public mutating func add(_ sample: SampleMetrics) throws {
        if samples == 0 {
            layers = Array(repeating: FigureStatistics(), count: sample.layers.count)
            hiddenStates = Array(repeating: FigureStatistics(), count: sample.hiddenStates.count)
            heads = sample.layers.map { Array(repeating: FigureStatistics(), count: $0.heads.count) }
        } else {
            try Self.agree("dataset block count", layers.count, sample.layers.count)
            try Self.agree("dataset hidden state count", hiddenStates.count, sample.hiddenStates.count)
            for (l, layer) in sample.layers.enumerated() {
                try Self.agree("dataset head count of block \(l)", heads[l].count, layer.heads.count)
            }
        }
        // Check on a copy: a sample with a figure out of range leaves the summary as it was.
        var next = self
        next.samples += 1
        do { try next.sinkRate.add(sample.sinkRate) } catch {
            throw AnalysisError.outOfRange(what: MetricName.sinkRate.rawValue, value: error.value)
        }
        for (l, layer) in sample.layers.enumerated() {
            do {
                try next.layers[l].add(layer, LayerMetrics.summaryFigures)
                if let embedding = layer.valueEmbedding {
                    try next.layers[l].add(embedding, ValueEmbeddingMetrics.summaryFigures)
                }
            } catch { throw error.prefixed("block \(l)") }
            for (h, head) in layer.heads.enumerated() {
                do { try next.heads[l][h].add(head, HeadMetrics.summaryFigures) } catch {
                    throw error.prefixed("block \(l) head \(h)")
                }
            }
        }
        for (i, state) in sample.hiddenStates.enumerated() {
            do { try next.hiddenStates[i].add(state, HiddenStateMetrics.summaryFigures) } catch {
                throw error.prefixed("h[\(i)]")
            }
        }
        self = next
    }

    /// The summary of this summary's samples and `other`'s together, exactly as if one run had added them all.
    public func merged(with other: DatasetSummary) throws -> DatasetSummary {
        guard other.samples > 0 else { return self }
        guard samples > 0 else { return other }
        try Self.agree("dataset block count", layers.count, other.layers.count)
        try Self.agree("dataset hidden state count", hiddenStates.count, other.hiddenStates.count)
        for l in heads.indices {
            try Self.agree("dataset head count of block \(l)", heads[l].count, other.heads[l].count)
        }
        var result = self
        result.samples += other.samples
        result.sinkRate = sinkRate.merged(with: other.sinkRate)
        result.layers = zip(layers, other.layers).map { $0.merged(with: $1) }
        result.hiddenStates = zip(hiddenStates, other.hiddenStates).map { $0.merged(with: $1) }
        result.heads = zip(heads, other.heads).map { zip($0, $1).map { $0.merged(with: $1) } }
        return result
    }

    private static func agree(_ what: String, _ expected: Int, _ actual: Int) throws {
        guard expected == actual else {
            throw AnalysisError.inconsistent(what: what, expected: expected, actual: actual)
        }
    }

    enum CodingKeys: String, CodingKey {
        case samples, layers, heads
        case sinkRate = "sink_rate"
        case hiddenStates = "hidden_states"
    }

    /// Reads a summary, rejecting one whose counts or shapes no run can produce.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        samples = try container.decode(Int.self, forKey: .samples)
        sinkRate = try container.decode(Statistic.self, forKey: .sinkRate)
        layers = try container.decode([FigureStatistics].self, forKey: .layers)
        hiddenStates = try container.decode([FigureStatistics].self, forKey: .hiddenStates)
        heads = try container.decode([[FigureStatistics]].self, forKey: .heads)
        let shaped =
            samples == 0
            ? layers.isEmpty && hiddenStates.isEmpty && heads.isEmpty
            : hiddenStates.count == layers.count + 1 && heads.count == layers.count
        let entries = layers + hiddenStates + heads.flatMap { $0 }
        guard samples >= 0, sinkRate.count == samples, shaped, entries.allSatisfy({ $0.largestCount <= samples }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .samples, in: container,
                debugDescription:
                    "a summary of \(samples) samples with \(layers.count) blocks, \(hiddenStates.count) states and counts that do not fit them"
            )
        }
    }
}
