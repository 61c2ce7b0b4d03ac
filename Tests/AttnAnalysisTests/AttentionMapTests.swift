import Foundation
import Testing
@testable import AttnAnalysis

/// Analytic checks of the attention-map metrics (metrics.md check values).
struct AttentionMapTests {
    /// The paper's column-importance entropy of a uniform causal map.
    func paperEntropy(tokens: Int) throws -> Double {
        let map = Maps.uniform(heads: 2, tokens: tokens, causal: true)
        return try AttentionMap.withMap(heads: 2, tokenCount: tokens, causal: true, probabilities: map.span) {
            view throws in
            let alpha = try (0..<2).map { try view.statistics(head: $0).keyImportance }
            return ColumnImportance(keyImportance: alpha, causal: true).entropy
        }
    }

    @Test func uniformCausalPaperEntropyMatchesTheCheckValues() throws {
        #expect(abs(try paperEntropy(tokens: 64) - 3.7540) < 5e-4)
        #expect(abs(try paperEntropy(tokens: 2048) - 7.2025) < 5e-4)
    }

    @Test func uniformCausalRowsHaveEntropyLnN() throws {
        let map = Maps.uniform(heads: 1, tokens: 16, causal: true)
        try AttentionMap.withMap(heads: 1, tokenCount: 16, causal: true, probabilities: map.span) { view throws in
            for i in 0..<16 { #expect(abs(try view.rowEntropy(head: 0, query: i) - log(Double(i + 1))) < 1e-6) }
            let stats = try view.statistics(head: 0)
            #expect(abs(try #require(stats.normalizedEntropy) - 1) < 1e-6)
            // α[k] = mean over i ≥ k of 1/(i+1).
            for k in 0..<16 {
                let expected = (k..<16).reduce(0.0) { $0 + 1 / Double($1 + 1) } / Double(16 - k)
                #expect(abs(stats.keyImportance[k] - expected) < 1e-7)
            }
        }
    }

    @Test("a uniform map under a sliding window: n_i and the queries that see a key stop at w")
    func uniformSlidingWindow() throws {
        let (t, w) = (10, 3)
        var map = [Float](repeating: 0, count: t * t)
        for i in 0..<t {
            for j in max(0, i - w + 1)...i { map[i * t + j] = 1 / Float(min(i + 1, w)) }
        }
        try AttentionMap.withMap(heads: 1, tokenCount: t, causal: true, window: w, probabilities: map.span) {
            view throws in
            let mask = view.mask  // a noncopyable view's method is not a function value
            #expect((0..<t).map(mask.keyCount(query:)) == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3])
            #expect((0..<t).map(mask.queryCount(key:)) == [3, 3, 3, 3, 3, 3, 3, 3, 2, 1])
            for i in 0..<t { #expect(abs(try view.rowEntropy(head: 0, query: i) - log(Double(min(i + 1, w)))) < 1e-6) }
            let stats = try view.statistics(head: 0)
            #expect(abs(try #require(stats.normalizedEntropy) - 1) < 1e-6)
            // Key 0 is seen by queries 0, 1, 2 with weights 1, 1/2, 1/3; key 5 by queries 5, 6, 7 with 1/3 each.
            #expect(abs(stats.keyImportance[0] - (1 + 1.0 / 2 + 1.0 / 3) / 3) < 1e-7)
            #expect(abs(stats.keyImportance[5] - 1.0 / 3) < 1e-7)
        }
        #expect(throws: AnalysisError.self) {
            try AttentionMap.withMap(heads: 1, tokenCount: t, causal: true, window: 0, probabilities: map.span) { _ in }
        }
    }

    @Test func oneHotRowsHaveZeroEntropy() throws {
        for causal in [true, false] {
            let map = Maps.oneHot(heads: 3, tokens: 12, causal: causal) { h, i in (h + i) % 5 }
            try AttentionMap.withMap(heads: 3, tokenCount: 12, causal: causal, probabilities: map.span) { view throws in
                for h in 0..<3 {
                    for i in 0..<12 { #expect(try view.rowEntropy(head: h, query: i) == 0) }
                    let stats = try view.statistics(head: h)
                    #expect(stats.entropy == 0)
                    #expect(stats.normalizedEntropy == 0)
                }
            }
        }
    }

    @Test func uniformBidirectionalMapHasNormalizedEntropyOne() throws {
        let map = Maps.uniform(heads: 4, tokens: 10, causal: false)
        try AttentionMap.withMap(heads: 4, tokenCount: 10, causal: false, probabilities: map.span) { view throws in
            for h in 0..<4 {
                let stats = try view.statistics(head: h)
                #expect(abs(try #require(stats.normalizedEntropy) - 1) < 1e-6)
                #expect(abs(stats.entropy - log(10)) < 1e-6)
                #expect(stats.keyImportance.allSatisfy { abs($0 - 0.1) < 1e-7 })
            }
            let alpha = try (0..<4).map { try view.statistics(head: $0).keyImportance }
            let importance = ColumnImportance(keyImportance: alpha, causal: false)
            #expect(abs(importance.entropy - log(10)) < 1e-6)
            #expect(abs(importance.topShare(5) - 0.5) < 1e-6)
            #expect(abs(importance.topShare(10) - 1) < 1e-6)
            #expect(abs(importance.topShare(50) - 1) < 1e-6)
        }
    }

    @Test func singleTokenHasNoNormalizedEntropy() throws {
        let map: [Float] = [1, 1]
        try AttentionMap.withMap(heads: 2, tokenCount: 1, causal: true, probabilities: map.span) { view throws in
            let stats = try view.statistics(head: 1)
            #expect(stats.entropy == 0)
            #expect(stats.normalizedEntropy == nil)
            #expect(stats.keyImportance == [1])
        }
    }

    @Test func causalMaskIgnoresEntriesAboveTheDiagonal() throws {
        var map = Maps.uniform(heads: 1, tokens: 4, causal: true)
        map[0 * 4 + 3] = 0.9  // query 0, key 3: masked
        try AttentionMap.withMap(heads: 1, tokenCount: 4, causal: true, probabilities: map.span) { view throws in
            #expect(try view.rowEntropy(head: 0, query: 0) == 0)
            #expect(abs(try view.statistics(head: 0).keyImportance[3] - 0.25) < 1e-7)
        }
    }

    @Test func outOfRangeHeadOrQueryIsRejected() throws {
        let map = Maps.uniform(heads: 2, tokens: 3, causal: true)
        try AttentionMap.withMap(heads: 2, tokenCount: 3, causal: true, probabilities: map.span) { view throws in
            #expect(throws: AnalysisError.invalidDimension(what: "attention map", name: "head", value: 2)) {
                try view.statistics(head: 2)
            }
            #expect(throws: AnalysisError.invalidDimension(what: "attention map", name: "query", value: -1)) {
                try view.rowEntropy(head: 0, query: -1)
            }
        }
    }

    @Test func wrongBufferSizeIsRejected() {
        let map = [Float](repeating: 0.5, count: 7)
        #expect(throws: AnalysisError.bufferSize(what: "attention map [H, T, T]", expected: 8, actual: 7)) {
            try AttentionMap.withMap(heads: 2, tokenCount: 2, causal: true, probabilities: map.span) { _ in }
        }
    }
}
