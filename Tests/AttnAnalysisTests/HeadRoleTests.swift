import AttnAnalysis
import Testing

/// Head-role scores, sink mass, value-weighted share and top keys on maps whose answers are known by hand.
struct HeadRoleTests {
    /// Head statistics of one causal head over `ids`, with row `i` given by `row(i)` (`[i + 1]` probabilities).
    func statistics(_ ids: [Int], keyNorms: [Float]? = nil, row: (Int) -> [Float]) throws -> HeadStatistics {
        let t = ids.count
        let accumulator = try HeadStatisticsAccumulator(
            heads: 1, mask: AttentionMask(tokenCount: t, causal: true), tokenIDs: ids)
        for i in 0..<t {
            let probabilities = row(i)
            probabilities.withUnsafeBufferPointer { p in
                if let keyNorms {
                    [keyNorms[i]].withUnsafeBufferPointer { nu in
                        [Float(1)].withUnsafeBufferPointer { o in
                            accumulator.add(
                                head: 0, firstQuery: i, queryCount: 1, keys: 0..<(i + 1), probabilities: p,
                                keyNorms: nu, outputNorms: o)
                        }
                    }
                } else {
                    accumulator.add(head: 0, firstQuery: i, queryCount: 1, keys: 0..<(i + 1), probabilities: p)
                }
            }
        }
        return try accumulator.statistics()[0]
    }

    func oneHot(_ key: Int, _ count: Int) -> [Float] { (0..<count).map { $0 == key ? 1 : 0 } }

    @Test("a previous-token head scores 1, and nothing on a prompt without repeats")
    func previousTokenHead() throws {
        let s = try statistics([5, 6, 7, 8]) { i in oneHot(max(i - 1, 0), i + 1) }
        #expect(s.previousTokenScore == 1)
        #expect(s.duplicateTokenScore == nil && s.inductionScore == nil)
        #expect(abs(s.sinkMass) < 1e-12)
    }

    @Test("on a repeated sequence an induction head (attending to the token after the earlier copy) scores 1")
    func inductionHead() throws {
        let ids = [1, 10, 11, 12, 10, 11, 12]
        // Query 4 (token 10, copy at 1) looks at key 2; 5 → 3; 6 → 4 (token 12's copy at 3 is followed by 4).
        let s = try statistics(ids) { i in i >= 4 ? oneHot(i - 2, i + 1) : oneHot(0, i + 1) }
        #expect(s.inductionScore == 1)
        #expect(s.duplicateTokenScore == 0)
        let duplicate = try statistics(ids) { i in i >= 4 ? oneHot(i - 3, i + 1) : oneHot(0, i + 1) }
        #expect(duplicate.duplicateTokenScore == 1 && duplicate.inductionScore == 0)
    }

    @Test("a sink whose value is drained keeps its importance and loses its value-weighted share")
    func drainedSink() throws {
        // Every query gives half to key 0 (ν = 0.1) and half to its own key (ν = 1).
        let ids = [0, 1, 2, 3]
        let s = try statistics(ids, keyNorms: [0.1, 1, 1, 1]) { i in
            i == 0 ? [1] : (0...i).map { $0 == 0 || $0 == i ? 0.5 : 0 }
        }
        let first = 1 * 0.1 + 3 * 0.5 * 0.1, all = first + 3 * 0.5
        #expect(abs(try #require(s.valueWeightedFirstTokenShare) - first / all) < 1e-7)
        #expect(s.keyImportance[0] > 0.6)
        #expect(s.headOutputNorm == 1)
    }

    @Test("top keys: the three largest masses, largest first, a tie to the smaller key")
    func topKeys() {
        let importance = ColumnImportance(keyImportance: [[0.25, 0.25, 0.5, 0.0]], queryCounts: [1, 1, 1, 1])
        #expect(importance.topKeys.map(\.token) == [2, 0, 1])
        #expect(importance.topKeys.map(\.mass) == [0.5, 0.25, 0.25])
    }

    @Test("repeats group each position with its earlier copies")
    func repeats() throws {
        let ids = [3, 1, 3, 3, 1]
        let accumulator = try HeadStatisticsAccumulator(
            heads: 1, mask: AttentionMask(tokenCount: 5, causal: true), tokenIDs: ids)
        #expect(accumulator.repeats == TokenRepeats(tokenIDs: ids))
        #expect(throws: AnalysisError.self) {
            try HeadStatisticsAccumulator(heads: 1, mask: AttentionMask(tokenCount: 5, causal: true), tokenIDs: [1])
        }
    }
}

/// Roles assigned from a run's per-head means.
struct HeadRoleAssignmentTests {
    /// A one-block sample whose heads have the given first-token importance, output norm and scores.
    func sample(_ heads: [(fti: Double, norm: Double, previous: Double?, induction: Double?)]) -> SampleMetrics {
        let metrics = heads.map {
            HeadMetrics(
                headEntropy: 1, normalizedHeadEntropy: 0.5, firstTokenImportance: $0.fti,
                previousTokenScore: $0.previous,
                inductionScore: $0.induction, headOutputNorm: $0.norm)
        }
        let layer = LayerMetrics(
            attentionEntropy: 1, layerSinkRate: 0, firstTokenImportance: 0,
            topKShare: TopKShare(top1: 1, top5: 1, top10: 1),
            valueNorm: [1, 1], valueDrainRatio: 1, heads: metrics)
        let state = HiddenStateMetrics(
            hiddenNorm: [1, 1], firstTokenHiddenRatio: 1, peakHiddenRatio: 1, peakToken: 0, tokenSimilarity: 0,
            massiveActivations: nil)
        return SampleMetrics(
            text: nil, tokenIDs: [0, 1], tokens: ["a", "b"], sinkRate: 0, layers: [layer], hiddenStates: [state, state])
    }

    @Test(
        "a quiet sink head is dormant, a loud one a sink; pattern heads by their scores; an undefined score gives no role"
    )
    func roles() throws {
        let summary = try DatasetSummary(samples: [
            sample([
                (0.9, 0.1, 0.0, nil),  // sink, output a tenth of the median: dormant
                (0.9, 1.0, 0.0, nil),  // sink
                (0.1, 0.1, 0.0, nil),  // quiet but no sink: none
                (0.5, 1.0, 0.8, nil),  // previous token before sink
                (0.0, 2.0, 0.1, 0.6),  // induction
            ])
        ])
        let roles = summary.headRoles(sinkEpsilon: 0.3)[0]
        #expect(roles.map(\.role) == [.dormant, .sink, .none, .previousToken, .induction])
        #expect(roles[0].roles == [.dormant, .sink])
        #expect(roles[3].roles == [.previousToken, .sink])
        #expect(summary.headRoles(sinkEpsilon: 0.95)[0][0].role == .none)
    }
}
