import Foundation
import Testing
@testable import AttnAnalysis

/// Aggregation over samples: unweighted mean, sample sd, counts, nulls.
struct DatasetSummaryTests {
    @Test func statisticUsesSampleStandardDeviation() throws {
        let statistic = try Statistic([1, 2, nil, 6])
        #expect(statistic.mean == 3)
        #expect(statistic.sd == (14.0 / 2).squareRoot())  // squares of deviations 4 + 1 + 9 over n − 1 = 2
        #expect(statistic.count == 3)
        #expect(try Statistic([5]).sd == 0)
        #expect(try Statistic([nil]) == Statistic([]))
        #expect(try Statistic([]).mean == nil)
    }

    /// A one-block sample of `tokens` tokens whose heads put all mass on key 0 when `sink`, on the diagonal otherwise.
    func sample(tokens: Int, sink: Bool) throws -> SampleMetrics {
        var analyzer = SampleAnalyzer()
        try analyzer.add(
            layer: 0, heads: 2, kvHeads: 1, headDim: 1, tokens: tokens, causal: true,
            attention: sink
                ? Maps.oneHot(heads: 2, tokens: tokens, causal: true) { _, _ in 0 }
                : Maps.oneHot(heads: 2, tokens: tokens, causal: true) { _, i in i },
            values: (0..<tokens).map { Float($0 + 1) })
        for index in 0...1 {
            try analyzer.add(hidden: index, tokens: tokens, size: 2, values: (0..<2 * tokens).map { Float($0 % 3) + 1 })
        }
        return try analyzer.finish(tokenIDs: Array(0..<tokens), tokens: (0..<tokens).map(String.init), text: nil)
    }

    @Test func summaryAveragesEveryLayerFigure() throws {
        let samples = [
            try sample(tokens: 4, sink: true), try sample(tokens: 1, sink: false), try sample(tokens: 8, sink: false),
        ]
        let summary = try DatasetSummary(samples: samples)
        #expect(summary.samples == 3)
        // α[0] is 1 for the sink sample and for T = 1, 1/8 on the diagonal at T = 8.
        #expect(abs(try #require(summary.sinkRate.mean) - 2.0 / 3) <= 1e-15)
        #expect(summary.layers.count == 1)
        #expect(summary.hiddenStates.count == 2)
        let layer = summary.layers[0]
        #expect(layer[.attentionEntropy].count == 3)
        let mean = samples.map(\.layers[0].attentionEntropy).reduce(0, +) / 3
        #expect(abs(try #require(layer[.attentionEntropy].mean) - mean) <= 1e-15 * abs(mean))
        #expect(layer[.valueDrainRatio].count == 2)  // undefined for T = 1
        #expect(layer[.normalizedHeadEntropy].count == 2)
        #expect(abs(try #require(layer[.layerSinkRate].mean) - 2.0 / 3) <= 1e-15)
        #expect(summary.heads.count == 1 && summary.heads[0].count == 2)
        #expect(summary.heads[0][1][.firstTokenImportance].count == 3)
        #expect(summary.hiddenStates[0][.massiveActivationCount].count == 0)
        #expect(summary.hiddenStates[1][.massiveActivationCount].mean == 0)
        #expect(summary.hiddenStates[1][.tokenSimilarity].count == 2)

        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(Set(json.keys) == ["samples", "sink_rate", "layers", "hidden_states", "heads"])
        let layerJSON = try #require((json["layers"] as? [[String: Any]])?.first)
        #expect(Set(layerJSON.keys) == Set(LayerMetrics.summaryFigures.map(\.name.rawValue)))
        let drain = try #require(layerJSON["value_drain_ratio"] as? [String: Any])
        #expect(Set(drain.keys) == ["mean", "sd", "count", "m2"])
        let massive = try #require(
            (json["hidden_states"] as? [[String: Any]])?.first?["massive_activation_count"] as? [String: Any])
        #expect(massive["mean"] is NSNull)
        #expect(try JSONDecoder().decode(DatasetSummary.self, from: JSONEncoder().encode(summary)) == summary)
    }

    @Test func statisticsMergeExactly() throws {
        var random = SplitMix64(seed: 11)
        let values: [Double?] = (0..<200).map { i in i % 7 == 0 ? nil : 1e3 + Double.random(in: 0..<5, using: &random) }
        let whole = try Statistic(values)
        let merged = try Statistic(values[0..<13]).merged(with: Statistic(values[13..<150])).merged(
            with: Statistic(values[150...]))
        #expect(merged.count == whole.count)
        #expect(abs(merged.mean! - whole.mean!) <= 1e-12 && abs(merged.sd! - whole.sd!) <= 1e-12)
        #expect(Statistic().merged(with: whole) == whole && whole.merged(with: Statistic()) == whole)
    }

    @Test func summariesOfShardsMergeIntoTheWholeSummary() throws {
        let samples = try (0..<7).map { try sample(tokens: 1 + $0 % 4 * 2, sink: $0 % 3 == 0) }
        let whole = try DatasetSummary(samples: samples)
        var merged = DatasetSummary()
        for k in 0..<3 {
            merged = try merged.merged(with: DatasetSummary(samples: stride(from: k, to: 7, by: 3).map { samples[$0] }))
        }
        #expect(merged.samples == 7)
        for (a, b) in zip(
            merged.layers + merged.hiddenStates + merged.heads.flatMap { $0 },
            whole.layers + whole.hiddenStates + whole.heads.flatMap { $0 })
        {
            #expect(a.names == b.names)
            for name in a.names {
                #expect(a[name].count == b[name].count)
                #expect(
                    abs((a[name].mean ?? 0) - (b[name].mean ?? 0)) <= 1e-12
                        && abs((a[name].sd ?? 0) - (b[name].sd ?? 0)) <= 1e-12, "\(name)")
            }
        }
    }

    @Test func summariesThatNoRunCanProduceAreRejected() {
        let bad =
            #"{"samples": 2, "sink_rate": {"mean": 0.5, "count": 3, "m2": 0}, "layers": [], "hidden_states": [], "heads": []}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DatasetSummary.self, from: Data(bad.utf8)) }
        let negative = #"{"mean": 1, "count": 2, "m2": -1}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Statistic.self, from: Data(negative.utf8)) }
    }

    @Test func mismatchedOrEmptyDatasetsAreRejected() throws {
        #expect(throws: AnalysisError.emptyDataset) { try DatasetSummary(samples: []) }
        var other = try sample(tokens: 3, sink: true)
        other.layers.append(other.layers[0])
        #expect(throws: AnalysisError.inconsistent(what: "dataset block count", expected: 1, actual: 2)) {
            try DatasetSummary(samples: [try sample(tokens: 3, sink: true), other])
        }
    }

    /// Every ``MetricName`` is a key some summary entry writes (or `summary.sink_rate`), and every key written is one.
    @Test func metricNamesAreExactlyTheSummaryKeys() {
        let written =
            LayerMetrics.summaryFigures.map(\.name) + ValueEmbeddingMetrics.summaryFigures.map(\.name)
            + HeadMetrics.summaryFigures.map(\.name) + HiddenStateMetrics.summaryFigures.map(\.name) + [.sinkRate]
        #expect(Set(written) == Set(MetricName.allCases))
        #expect(MetricName.firstTokenImportance.rawValue == "first_token_importance")
    }
}
