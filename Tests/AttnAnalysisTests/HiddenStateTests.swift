import Foundation
import Testing
@testable import AttnAnalysis

/// Analytic checks of the residual-state metrics.
struct HiddenStateTests {
    @Test func identicalStatesHaveSimilarityOne() throws {
        let row: [Float] = [0.3, -1.2, 4, 0.01, 2]
        let values = Array([[Float]](repeating: row, count: 6).joined())
        try HiddenState.withState(tokenCount: 6, hiddenSize: 5, values: values.span) { state throws in
            let similarity = state.tokenSimilarity()
            #expect(abs(try #require(similarity) - 1) < 1e-12)
        }
    }

    @Test func similarityMatchesThePairwiseMean() throws {
        var rng = SplitMix64(seed: 7)
        let (t, d) = (9, 13)
        var values = (0..<t * d).map { _ in Float.random(in: -1...1, using: &rng) + 0.3 }
        for c in 0..<d { values[4 * d + c] = 0 }  // a zero row counts as cosine 0 with everyone
        try HiddenState.withState(tokenCount: t, hiddenSize: d, values: values.span) { state throws in
            let norms = state.norms()
            var sum = 0.0
            for i in 0..<t {
                for j in 0..<t where i != j && norms[i] > 0 && norms[j] > 0 {
                    let dot = (0..<d).reduce(0.0) { $0 + Double(values[i * d + $1]) * Double(values[j * d + $1]) }
                    sum += dot / (norms[i] * norms[j])
                }
            }
            let similarity = state.tokenSimilarity()
            #expect(abs(try #require(similarity) - sum / Double(t * (t - 1))) < 1e-12)
        }
    }

    @Test func oppositeStatesHaveSimilarityMinusOne() throws {
        let values: [Float] = [1, 2, -1, -2]
        try HiddenState.withState(tokenCount: 2, hiddenSize: 2, values: values.span) { state throws in
            let similarity = state.tokenSimilarity()
            #expect(abs(try #require(similarity) + 1) < 1e-12)
        }
    }

    @Test func plantedMassiveActivationIsFound() throws {
        let (t, d) = (8, 32)
        var values = [Float](repeating: 1, count: t * d)
        values[5 * d + 17] = 5000
        values[2 * d + 3] = 900  // above 100 but not above 1000 × median (= 1000)
        try HiddenState.withState(tokenCount: t, hiddenSize: d, values: values.span) { state throws in
            let found = state.massiveActivations()
            #expect(found.count == 1)
            #expect(found.top == [MassiveActivation(value: 5000, token: 5, channel: 17)])
            #expect(found.medianMagnitude == 1)
        }
    }

    @Test func massiveActivationsKeepTheThreeLargestBySignedMagnitude() throws {
        let (t, d) = (4, 300)
        var values = [Float](repeating: 0.01, count: t * d)
        for (index, value) in [(5, Float(200)), (310, -700), (650, 150), (999, 400), (1000, -120)] {
            values[index] = value
        }
        try HiddenState.withState(tokenCount: t, hiddenSize: d, values: values.span) { state throws in
            let found = state.massiveActivations()
            #expect(found.count == 5)
            #expect(
                found.top == [
                    MassiveActivation(value: -700, token: 1, channel: 10),
                    MassiveActivation(value: 400, token: 3, channel: 99),
                    MassiveActivation(value: 200, token: 0, channel: 5),
                ])
        }
    }

    @Test func normsRatiosAndPeak() throws {
        let values: [Float] = [3, 4, 0, 1, 0, 2, 6, 8]  // norms 5, 1, 2, 10
        try HiddenState.withState(tokenCount: 4, hiddenSize: 2, values: values.span) { state throws in
            let norms = state.norms()
            #expect(norms == [5, 1, 2, 10])
            #expect(firstTokenRatio(norms) == 5 / (13.0 / 3))
            let peak = HiddenState.peak(norms: norms)
            #expect(peak.token == 3)
            #expect(peak.ratio == 10 / 3.5)
        }
        #expect(firstTokenRatio([2]) == nil)
        #expect(firstTokenRatio([2, 0, 0]) == nil)
    }

    @Test func nonFiniteEntryIsRejectedWithItsOffset() {
        let values: [Float] = [1, 2, .nan, 4]
        #expect(throws: AnalysisError.nonFinite(what: "hidden state [T, D]", offset: 2)) {
            try HiddenState.withState(tokenCount: 2, hiddenSize: 2, values: values.span) { _ in }
        }
    }

    @Test func valueNormsAverageOverKVHeads() throws {
        // G = 2, T = 2, d = 2: head 0 norms 5, 1; head 1 norms 1, 3.
        let values: [Float] = [3, 4, 1, 0, 0, 1, 0, 3]
        try values.withUnsafeBufferPointer { buffer in
            let norms = try ValueStates.norms(values: buffer, kvHeads: 2, tokenCount: 2, headDim: 2)
            #expect(norms == [3, 2])
            #expect(firstTokenRatio(norms) == 1.5)
        }
    }
}
