import AttnAnalysis
import AttnCheckpoint
import Foundation
import Testing
import TestSupport

/// The metrics of every golden capture agree with the numpy reference (make_golden_metrics.py).
///
/// Every `Tests/Fixtures/golden/<model>.safetensors` is fed block by block
/// through ``SampleAnalyzer`` and compared with `<model>.metrics.json` within
/// 1e-6 relative, with an absolute floor of 1e-9 for values near 0.
struct GoldenMetricsTests {
    static let relative = 1e-6
    static let absolute = 1e-9

    /// The `golden` metadata entry of a capture (see make_golden.py).
    struct Capture: Decodable {
        struct Sample: Decodable {
            let tokenIDs: [Int]
            let text: String?
            enum CodingKeys: String, CodingKey {
                case tokenIDs = "token_ids"
                case text
            }
        }
        let model: String
        let causal: Bool
        let layers: Int
        let heads: Int
        let kvHeads: Int
        let headDim: Int
        let hiddenSize: Int
        /// Each block's sliding window (null for none); absent when no block slides.
        let windows: [Int?]?
        /// True for a model whose heads have learned sink logits (GPT-OSS).
        let learnedSinks: Bool?
        let samples: [Sample]
        enum CodingKeys: String, CodingKey {
            case model, causal, layers, heads, samples, windows
            case learnedSinks = "learned_sinks"
            case kvHeads = "kv_heads"
            case headDim = "head_dim"
            case hiddenSize = "hidden_size"
        }
    }

    /// The reference document written beside each capture.
    struct Reference: Decodable {
        let model: String
        let samples: [SampleMetrics]
    }

    static var captures: [URL] {
        let folder = Fixtures.url("golden")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test func goldenCapturesExist() {
        #expect(Self.captures.contains { $0.lastPathComponent == "synthetic.safetensors" })
    }

    @Test(arguments: captures)
    func metricsMatchTheNumpyReference(capture: URL) throws {
        let file = try SafetensorsFile(url: capture)
        let meta = try JSONDecoder().decode(Capture.self, from: Data(try #require(file.metadata["golden"]).utf8))
        let referenceURL = capture.deletingPathExtension().appendingPathExtension("metrics.json")
        try #require(
            FileManager.default.fileExists(atPath: referenceURL.path),
            "\(referenceURL.lastPathComponent) is missing: run Tests/Fixtures/generate/make_golden_metrics.py")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: referenceURL))
        try #require(reference.samples.count == meta.samples.count, "rerun make_golden_metrics.py for \(meta.model)")
        for (index, sample) in meta.samples.enumerated() {
            let t = sample.tokenIDs.count
            var analyzer = SampleAnalyzer(settings: AnalysisSettings(sinkEpsilon: 0.3, sinkKey: 0))
            for layer in 0..<meta.layers {
                let attention = try file.floats("s\(index).attn.\(layer)")
                let values = try file.floats("s\(index).value.\(layer)")
                try attention.withUnsafeBufferPointer { a in
                    try values.withUnsafeBufferPointer { v in
                        try analyzer.addBlock(
                            layer: layer, heads: meta.heads, kvHeads: meta.kvHeads, headDim: meta.headDim,
                            tokenCount: t, causal: meta.causal, window: meta.windows?[layer] ?? nil,
                            learnedSinks: meta.learnedSinks ?? false, attention: a, values: v,
                            tokenIDs: sample.tokenIDs)
                    }
                }
            }
            for state in 0...meta.layers {
                let hidden = try file.floats("s\(index).hidden.\(state)")
                try hidden.withUnsafeBufferPointer {
                    try analyzer.addHiddenState(index: state, tokenCount: t, hiddenSize: meta.hiddenSize, values: $0)
                }
            }
            let metrics = try analyzer.finish(
                tokenIDs: sample.tokenIDs, tokens: sample.tokenIDs.map(String.init), text: sample.text)
            compare(metrics, reference.samples[index], "\(meta.model) s\(index)")
        }
    }

    func compare(_ actual: SampleMetrics, _ expected: SampleMetrics, _ path: String) {
        #expect(actual.tokenIDs == expected.tokenIDs, "\(path) token_ids")
        #expect(actual.tokens == expected.tokens, "\(path) tokens")
        #expect(actual.text == expected.text, "\(path) text")
        close(actual.sinkRate, expected.sinkRate, "\(path) sink_rate")
        #expect(actual.layers.count == expected.layers.count, "\(path) layers")
        for (l, (a, e)) in zip(actual.layers, expected.layers).enumerated() {
            let at = "\(path) layers[\(l)]"
            close(a.attentionEntropy, e.attentionEntropy, "\(at) attention_entropy")
            close(a.layerSinkRate, e.layerSinkRate, "\(at) layer_sink_rate")
            close(a.firstTokenImportance, e.firstTokenImportance, "\(at) first_token_importance")
            close(a.topKShare.top1, e.topKShare.top1, "\(at) top_k_share.1")
            close(a.topKShare.top5, e.topKShare.top5, "\(at) top_k_share.5")
            close(a.topKShare.top10, e.topKShare.top10, "\(at) top_k_share.10")
            #expect(a.topKeys.map(\.token) == e.topKeys.map(\.token), "\(at) top_keys tokens")
            close(a.topKeys.map(\.mass), e.topKeys.map(\.mass), "\(at) top_keys masses")
            close(a.valueNorm.map(Double.init), e.valueNorm.map(Double.init), "\(at) value_norm")
            close(a.valueDrainRatio, e.valueDrainRatio, "\(at) value_drain_ratio")
            #expect(a.heads.count == e.heads.count, "\(at) heads")
            for (h, (ah, eh)) in zip(a.heads, e.heads).enumerated() {
                close(ah.headEntropy, eh.headEntropy, "\(at) heads[\(h)] head_entropy")
                close(ah.normalizedHeadEntropy, eh.normalizedHeadEntropy, "\(at) heads[\(h)] normalized_head_entropy")
                close(ah.firstTokenImportance, eh.firstTokenImportance, "\(at) heads[\(h)] first_token_importance")
                #expect(
                    abs(ah.sinkMass - eh.sinkMass) <= 1e-7,
                    "\(at) heads[\(h)] sink_mass: \(ah.sinkMass) vs \(eh.sinkMass)")
                close(ah.previousTokenScore, eh.previousTokenScore, "\(at) heads[\(h)] previous_token_score")
                close(ah.duplicateTokenScore, eh.duplicateTokenScore, "\(at) heads[\(h)] duplicate_token_score")
                close(ah.inductionScore, eh.inductionScore, "\(at) heads[\(h)] induction_score")
                // The captures hold no output projection: the value-weighted figures are compared in HeadMetricsGoldenTests.
                #expect(ah.valueWeightedFirstTokenShare == nil && eh.valueWeightedFirstTokenShare == nil)
            }
        }
        #expect(actual.hiddenStates.count == expected.hiddenStates.count, "\(path) hidden_states")
        for (l, (a, e)) in zip(actual.hiddenStates, expected.hiddenStates).enumerated() {
            let at = "\(path) hidden_states[\(l)]"
            close(a.hiddenNorm.map(Double.init), e.hiddenNorm.map(Double.init), "\(at) hidden_norm")
            close(a.firstTokenHiddenRatio, e.firstTokenHiddenRatio, "\(at) first_token_hidden_ratio")
            close(a.peakHiddenRatio, e.peakHiddenRatio, "\(at) peak_hidden_ratio")
            #expect(a.peakToken == e.peakToken, "\(at) peak_token")
            close(a.tokenSimilarity, e.tokenSimilarity, "\(at) token_similarity")
            #expect((a.massiveActivations == nil) == (e.massiveActivations == nil), "\(at) massive_activations")
            if let am = a.massiveActivations, let em = e.massiveActivations {
                #expect(am.count == em.count, "\(at) massive_activations.count")
                close(am.medianMagnitude, em.medianMagnitude, "\(at) massive_activations.median_magnitude")
                #expect(am.top.map(\.token) == em.top.map(\.token), "\(at) massive_activations.top tokens")
                #expect(am.top.map(\.channel) == em.top.map(\.channel), "\(at) massive_activations.top channels")
                close(
                    am.top.map { Double($0.value) }, em.top.map { Double($0.value) },
                    "\(at) massive_activations.top values")
            }
        }
    }

    func close(_ actual: Double?, _ expected: Double?, _ path: String) {
        guard let actual, let expected else {
            #expect(
                actual == nil && expected == nil,
                "\(path): \(String(describing: actual)) vs \(String(describing: expected))")
            return
        }
        let tolerance = Self.relative * max(abs(actual), abs(expected)) + Self.absolute
        #expect(abs(actual - expected) <= tolerance, "\(path): \(actual) vs \(expected)")
    }

    func close(_ actual: [Double], _ expected: [Double], _ path: String) {
        #expect(actual.count == expected.count, "\(path) count")
        let bad = zip(actual, expected).enumerated().first { _, pair in
            abs(pair.0 - pair.1) > Self.relative * max(abs(pair.0), abs(pair.1)) + Self.absolute
        }?.offset
        if let bad {
            Issue.record("\(path)[\(bad)]: \(actual[bad]) vs \(expected[bad])")
        }
    }
}
