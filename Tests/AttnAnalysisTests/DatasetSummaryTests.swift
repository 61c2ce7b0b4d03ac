import Foundation
import Testing
@testable import AttnAnalysis

/// Aggregation over samples: unweighted mean, sample sd, counts, nulls.
struct DatasetSummaryTests {
    @Test func statisticUsesSampleStandardDeviation() {
        let statistic = Statistic([1, 2, nil, 6])
        #expect(statistic.mean == 3)
        #expect(statistic.sd == (14.0 / 2).squareRoot())  // squares of deviations 4 + 1 + 9 over n − 1 = 2
        #expect(statistic.count == 3)
        #expect(Statistic([5]).sd == 0)
        #expect(Statistic([nil]) == Statistic([]))
        #expect(Statistic([]).mean == nil)
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
        let samples = [try sample(tokens: 4, sink: true), try sample(tokens: 1, sink: false), try sample(tokens: 8, sink: false)]
        let summary = try DatasetSummary(samples: samples)
        #expect(summary.samples == 3)
        // α[0] is 1 for the sink sample and for T = 1, 1/8 on the diagonal at T = 8.
        #expect(summary.sinkRate.mean == 2.0 / 3)
        #expect(summary.layers.count == 1)
        #expect(summary.hiddenStates.count == 2)
        let layer = summary.layers[0]
        #expect(layer.attentionEntropy.count == 3)
        #expect(layer.attentionEntropy.mean == samples.map(\.layers[0].attentionEntropy).reduce(0, +) / 3)
        #expect(layer.valueDrainRatio.count == 2)  // undefined for T = 1
        #expect(layer.normalizedHeadEntropy.count == 2)
        #expect(layer.layerSinkRate.mean == 2.0 / 3)
        #expect(summary.hiddenStates[0].massiveActivationCount.count == 0)
        #expect(summary.hiddenStates[1].massiveActivationCount.mean == 0)
        #expect(summary.hiddenStates[1].tokenSimilarity.count == 2)

        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(Set(json.keys) == ["samples", "sink_rate", "layers", "hidden_states"])
        let layerJSON = try #require((json["layers"] as? [[String: Any]])?.first)
        #expect(layerJSON.keys.contains("top_10_share"))
        let drain = try #require(layerJSON["value_drain_ratio"] as? [String: Any])
        #expect(Set(drain.keys) == ["mean", "sd", "count"])
        let massive = try #require((json["hidden_states"] as? [[String: Any]])?.first?["massive_activation_count"] as? [String: Any])
        #expect(massive["mean"] is NSNull)
    }

    @Test func mismatchedOrEmptyDatasetsAreRejected() throws {
        #expect(throws: AnalysisError.emptyDataset) { try DatasetSummary(samples: []) }
        var other = try sample(tokens: 3, sink: true)
        other.layers.append(other.layers[0])
        #expect(throws: AnalysisError.inconsistent(what: "dataset block count", expected: 1, actual: 2)) {
            try DatasetSummary(samples: [try sample(tokens: 3, sink: true), other])
        }
    }
}
