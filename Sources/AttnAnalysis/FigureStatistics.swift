/// The statistics of one summary entry (a block, a residual state or a head), keyed by figure name.
///
/// JSON: an object from figure name to ``Statistic``. A key that is no
/// ``MetricName`` (written by a later version) is kept as read but cannot be asked for.
public struct FigureStatistics: Codable, Equatable, Sendable {
    private var statistics: [String: Statistic]

    /// An entry with no samples.
    public init() { statistics = [:] }

    /// The statistic of figure `name`; empty when no sample added it.
    public subscript(name: MetricName) -> Statistic { statistics[name.rawValue] ?? Statistic() }

    /// The figure names held, sorted by their JSON spelling (keys no ``MetricName`` spells left out).
    public var names: [MetricName] { statistics.keys.compactMap(MetricName.init(rawValue:)).sorted() }

    /// Adds one sample's figures; a figure out of ``Statistic``'s range is refused by name (the figures
    /// before it are already added: ``DatasetSummary`` adds to a copy).
    mutating func add<Source>(_ source: Source, _ figures: [SummaryFigure<Source>]) throws(AnalysisError) {
        for figure in figures {
            do { try statistics[figure.name.rawValue, default: Statistic()].add(figure.value(source)) } catch {
                throw .outOfRange(what: figure.name.rawValue, value: error.value)
            }
        }
    }

    /// This entry's samples and `other`'s together, figure by figure.
    func merged(with other: FigureStatistics) -> FigureStatistics {
        var result = self
        result.statistics.merge(other.statistics) { $0.merged(with: $1) }
        return result
    }

    /// The largest count of any figure (at most the number of samples summarized).
    var largestCount: Int { statistics.values.map(\.count).max() ?? 0 }

    public init(from decoder: Decoder) throws {
        statistics = try decoder.singleValueContainer().decode([String: Statistic].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(statistics)
    }
}
