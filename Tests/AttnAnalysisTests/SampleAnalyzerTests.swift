import Foundation
import Testing
@testable import AttnAnalysis

/// Assembling a sample from streamed blocks, its errors and its JSON.
struct SampleAnalyzerTests {
    /// A 2-block causal sample, T = 3, H = 2, G = 1, d = 2, D = 2, ε = 0.5, blocks handed over out of order.
    func twoBlockSample() throws -> SampleAnalyzer {
        var analyzer = SampleAnalyzer(settings: AnalysisSettings(sinkEpsilon: 0.5))
        let values: [Float] = [0, 2, 3, 4, 1, 0]  // value norms 2, 5, 1
        for layer in [1, 0] {
            try analyzer.add(
                layer: layer, heads: 2, kvHeads: 1, headDim: 2, tokens: 3, causal: true,
                attention: Maps.oneHot(heads: 2, tokens: 3, causal: true) { h, i in h == 0 ? 0 : i },
                values: values)
        }
        for index in 0...2 {
            try analyzer.add(hidden: index, tokens: 3, size: 2, values: [1, 0, 0, 1, 1, 1])
        }
        return analyzer
    }

    @Test func finishAssemblesEveryMetric() throws {
        let sample = try twoBlockSample().finish(tokenIDs: [1, 2, 3], tokens: ["a", "b", "c"], text: "abc")
        #expect(sample.layers.count == 2)
        #expect(sample.hiddenStates.count == 3)
        #expect(sample.sinkRate == 0.5)  // head 0 sinks (α = 1), head 1 is diagonal (α[0] = 1/3)
        let layer = sample.layers[0]
        #expect(layer.layerSinkRate == 0.5)
        #expect(abs(layer.firstTokenImportance - (1 + 1.0 / 3) / 2) < 1e-12)
        #expect(layer.valueNorm == [2, 5, 1])
        #expect(layer.valueDrainRatio == 2.0 / 3)
        #expect(layer.heads.map(\.headEntropy) == [0, 0])
        // Column mass: key 0 gets 3 + 1, key 1 gets 1, key 2 gets 1 (over both heads) → p = 4/6, 1/6, 1/6.
        let p = [4.0 / 6, 1.0 / 6, 1.0 / 6]
        #expect(abs(layer.attentionEntropy - p.reduce(0) { $0 - $1 * log($1) }) < 1e-12)
        #expect(abs(layer.topKShare.top1 - 4.0 / 6) < 1e-12)
        #expect(abs(layer.topKShare.top5 - 1) < 1e-12)
        let state = sample.hiddenStates[1]
        // Unit rows (1,0), (0,1), (1,1)/√2: cosines 0, 1/√2, 1/√2 each counted twice.
        let similarity = try #require(state.tokenSimilarity)
        let expected: Double = 4 / 2.0.squareRoot() / 6
        #expect(abs(similarity - expected) < 1e-12)
        #expect(sample.hiddenStates[0].massiveActivations == nil)
        #expect(state.massiveActivations?.count == 0)
    }

    @Test func jsonUsesTheMetricsSchemaNamesAndNulls() throws {
        var analyzer = SampleAnalyzer()
        try analyzer.add(
            layer: 0, heads: 1, kvHeads: 1, headDim: 1, tokens: 1, causal: true, attention: [1], values: [2])
        try analyzer.add(hidden: 0, tokens: 1, size: 2, values: [1, 1])
        try analyzer.add(hidden: 1, tokens: 1, size: 2, values: [3, 4])
        let sample = try analyzer.finish(tokenIDs: [7], tokens: ["<s>"], text: nil)
        let json = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(sample)) as? [String: Any])
        #expect(Set(json.keys) == ["token_ids", "tokens", "sink_rate", "layers", "hidden_states"])
        let layer = try #require((json["layers"] as? [[String: Any]])?.first)
        #expect(
            Set(layer.keys) == [
                "attention_entropy", "layer_sink_rate", "first_token_importance", "top_k_share", "top_keys",
                "value_norm",
                "value_drain_ratio", "heads",
            ])
        #expect((layer["top_keys"] as? [[String: Any]])?.first?["token"] as? Int == 0)
        #expect(layer["value_drain_ratio"] is NSNull)
        #expect(Set((layer["top_k_share"] as? [String: Any])?.keys ?? [:].keys) == ["1", "5", "10"])
        let head = try #require((layer["heads"] as? [[String: Any]])?.first)
        #expect(
            Set(head.keys) == [
                "head_entropy", "normalized_head_entropy", "first_token_importance", "sink_mass",
                "previous_token_score",
                "duplicate_token_score", "induction_score", "value_weighted_first_token_share", "head_output_norm",
            ])
        #expect(head["normalized_head_entropy"] is NSNull)
        #expect(head["previous_token_score"] is NSNull && head["head_output_norm"] is NSNull)
        let states = try #require(json["hidden_states"] as? [[String: Any]])
        #expect(
            Set(states[1].keys) == [
                "hidden_norm", "first_token_hidden_ratio", "peak_hidden_ratio", "peak_token", "token_similarity",
                "massive_activations",
            ])
        #expect(states[0]["massive_activations"] is NSNull)
        #expect(states[1]["token_similarity"] is NSNull)
        #expect(states[1]["hidden_norm"] as? [Double] == [5])
        let decoded = try JSONDecoder().decode(SampleMetrics.self, from: JSONEncoder().encode(sample))
        #expect(decoded == sample)
    }

    @Test func missingPartsAreNamed() throws {
        var analyzer = SampleAnalyzer()
        try analyzer.add(
            layer: 1, heads: 1, kvHeads: 1, headDim: 1, tokens: 1, causal: true, attention: [1], values: [1])
        #expect(throws: AnalysisError.missing(what: "block 0")) {
            try analyzer.finish(tokenIDs: [1], tokens: ["x"], text: nil)
        }
        try analyzer.add(
            layer: 0, heads: 1, kvHeads: 1, headDim: 1, tokens: 1, causal: true, attention: [1], values: [1])
        try analyzer.add(hidden: 0, tokens: 1, size: 1, values: [1])
        try analyzer.add(hidden: 2, tokens: 1, size: 1, values: [1])
        #expect(throws: AnalysisError.missing(what: "hidden state h[1]")) {
            try analyzer.finish(tokenIDs: [1], tokens: ["x"], text: nil)
        }
        try analyzer.add(hidden: 1, tokens: 1, size: 1, values: [1])
        #expect(throws: AnalysisError.inconsistent(what: "tokens", expected: 1, actual: 0)) {
            try analyzer.finish(tokenIDs: [1], tokens: [], text: nil)
        }
        #expect(try analyzer.finish(tokenIDs: [1], tokens: ["x"], text: nil).layers.count == 2)
    }

    @Test func badInputIsRejectedWithWhatAndWhere() throws {
        var analyzer = SampleAnalyzer()
        try analyzer.add(
            layer: 0, heads: 1, kvHeads: 1, headDim: 1, tokens: 2, causal: true, attention: [1, 0, 0.5, 0.5],
            values: [1, 1])
        #expect(throws: AnalysisError.duplicate(what: "block 0")) {
            try analyzer.add(
                layer: 0, heads: 1, kvHeads: 1, headDim: 1, tokens: 2, causal: true, attention: [1, 0, 0.5, 0.5],
                values: [1, 1])
        }
        #expect(throws: AnalysisError.inconsistent(what: "block 1 token count", expected: 2, actual: 1)) {
            try analyzer.add(
                layer: 1, heads: 1, kvHeads: 1, headDim: 1, tokens: 1, causal: true, attention: [1], values: [1])
        }
        #expect(throws: AnalysisError.bufferSize(what: "block 2 value states [G, T, d]", expected: 2, actual: 3)) {
            try analyzer.add(
                layer: 2, heads: 1, kvHeads: 1, headDim: 1, tokens: 2, causal: true, attention: [1, 0, 0.5, 0.5],
                values: [1, 1, 1])
        }
        #expect(throws: AnalysisError.nonFinite(what: "block 3 attention [H, T, T]", offset: 3)) {
            try analyzer.add(
                layer: 3, heads: 1, kvHeads: 1, headDim: 1, tokens: 2, causal: true, attention: [1, 0, 0.5, .infinity],
                values: [1, 1])
        }
        #expect(throws: AnalysisError.nonFinite(what: "block 4 value states [G, T, d]", offset: 1)) {
            try analyzer.add(
                layer: 4, heads: 1, kvHeads: 1, headDim: 1, tokens: 2, causal: true, attention: [1, 0, 0.5, 0.5],
                values: [1, .nan])
        }
        #expect(throws: AnalysisError.nonFinite(what: "hidden state h[0] hidden state [T, D]", offset: 0)) {
            try analyzer.add(hidden: 0, tokens: 2, size: 1, values: [.nan, 1])
        }
    }
}
