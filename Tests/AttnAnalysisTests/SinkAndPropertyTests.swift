import Foundation
import Testing
@testable import AttnAnalysis

/// Sink rates, and bounds that must hold for every attention map.
struct SinkAndPropertyTests {
    @Test func allMassOnKeyZeroIsASinkAtEveryEpsilonBelowOne() throws {
        for causal in [true, false] {
            var analyzer = SampleAnalyzer()
            for layer in 0..<3 {
                try analyzer.add(
                    layer: layer, heads: 4, kvHeads: 2, headDim: 3, tokens: 6, causal: causal,
                    attention: Maps.oneHot(heads: 4, tokens: 6, causal: causal) { _, _ in 0 },
                    values: [Float](repeating: 1, count: 2 * 6 * 3))
            }
            for epsilon in [0, 0.3, 0.5, 0.9, 0.999] {
                #expect(analyzer.sinkRate(key: 0, epsilon: epsilon) == 1)
                #expect(analyzer.layerSinkRate(layer: 2, key: 0, epsilon: epsilon) == 1)
            }
            #expect(analyzer.sinkRate(key: 0, epsilon: 1) == 0)
            #expect(analyzer.sinkRate(key: 1, epsilon: 0) == 0)
            #expect(analyzer.sinkRate(key: 6, epsilon: 0) == 0)
        }
    }

    @Test func sinkRateLooksAtAnyKey() throws {
        // Heads 0 and 1 attend to key 2 whenever they can see it; heads 2 and 3 to key 0.
        var analyzer = SampleAnalyzer(settings: AnalysisSettings(sinkEpsilon: 0.5, sinkKey: 2))
        try analyzer.add(
            layer: 0, heads: 4, kvHeads: 4, headDim: 1, tokens: 5, causal: true,
            attention: Maps.oneHot(heads: 4, tokens: 5, causal: true) { h, _ in h < 2 ? 2 : 0 },
            values: [Float](repeating: 1, count: 20))
        // α[h][2] for heads 0, 1 = (queries 2, 3, 4 all on key 2) / 3 = 1.
        #expect(analyzer.sinkRate(key: 2, epsilon: 0.5) == 0.5)
        #expect(analyzer.sinkRate(key: 0, epsilon: 0.5) == 0.5)
        #expect(analyzer.keyImportance[0]?[0][2] == 1)
        #expect(analyzer.keyImportance[0]?[2][0] == 1)
        #expect(analyzer.layerSinkRate(layer: 0, key: 2, epsilon: 0.5) == 0.5)
        #expect(analyzer.layerSinkRate(layer: 1) == nil)
    }

    @Test func randomMapsStayWithinBounds() throws {
        var rng = SplitMix64(seed: 42)
        for trial in 0..<24 {
            let causal = trial % 2 == 0
            let (heads, tokens) = (Int.random(in: 1...4, using: &rng), Int.random(in: 1...40, using: &rng))
            let map = Maps.random(heads: heads, tokens: tokens, causal: causal, using: &rng)
            try AttentionMap.withMap(heads: heads, tokenCount: tokens, causal: causal, probabilities: map.span) {
                view throws in
                var alpha: [[Double]] = []
                for h in 0..<heads {
                    for i in 0..<tokens {
                        let entropy = try view.rowEntropy(head: h, query: i)
                        #expect(entropy >= 0 && entropy <= log(Double(view.keyCount(query: i))) + 1e-6)
                    }
                    let stats = try view.statistics(head: h)
                    #expect(stats.entropy >= 0 && stats.entropy <= log(Double(tokens)) + 1e-6)
                    if let normalized = stats.normalizedEntropy { #expect(normalized >= 0 && normalized <= 1 + 1e-6) }
                    #expect(stats.keyImportance.allSatisfy { $0 >= 0 && $0 <= 1 + 1e-6 })
                    alpha.append(stats.keyImportance)
                }
                let importance = ColumnImportance(keyImportance: alpha, causal: causal)
                #expect(abs(importance.distribution.reduce(0, +) - 1) < 1e-9)
                #expect(importance.entropy >= 0 && importance.entropy <= log(Double(tokens)) + 1e-9)
                let shares = TopKShare(importance)
                #expect(shares.top1 <= shares.top5 && shares.top5 <= shares.top10 && shares.top10 <= 1 + 1e-9)
            }
        }
    }

    @Test func sinkRateIsMonotoneNonIncreasingInEpsilon() throws {
        var rng = SplitMix64(seed: 9)
        var analyzer = SampleAnalyzer()
        for layer in 0..<6 {
            let causal = layer % 2 == 0
            try analyzer.add(
                layer: layer, heads: 5, kvHeads: 1, headDim: 2, tokens: 12, causal: causal,
                attention: Maps.random(heads: 5, tokens: 12, causal: causal, using: &rng),
                values: [Float](repeating: 1, count: 24))
        }
        for key in [0, 1, 5, 11] {
            var previous = 1.0
            for step in 0...100 {
                let rate = try #require(analyzer.sinkRate(key: key, epsilon: Double(step) / 100))
                #expect(rate >= 0 && rate <= previous)
                previous = rate
            }
        }
    }
}
