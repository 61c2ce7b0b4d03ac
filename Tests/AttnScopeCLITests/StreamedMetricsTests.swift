import AttnAnalysis
import AttnCheckpoint
import AttnModel
import AttnScope
import Foundation
import Testing
import TestSupport

/// The metrics `analyze` computes from attention rows streamed a block at a
/// time equal those of the whole-layer `[H, T, T]` maps: exactly, but for the
/// head entropies, which the streamed path takes from the softmax
/// (`ln S − Σ e·x / S`) instead of summing `−p ln p`, and the value-weighted
/// figures, which only the streamed path measures (it has the output projection).
struct StreamedMetricsTests {
    /// Asks for every block's whole map and hands it to ``SampleAnalyzer/addBlock(layer:heads:kvHeads:headDim:tokenCount:causal:window:attention:values:tokenIDs:)``.
    struct WholeMapObserver: ProbeObserver {
        var analyzer = SampleAnalyzer()
        let tokenIDs: [Int]
        mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {
            let (index, tokens, size) = (hidden.index, hidden.tokenCount, hidden.hiddenSize)
            try hidden.withValues { span in
                try span.withUnsafeBufferPointer {
                    try analyzer.addHiddenState(index: index, tokenCount: tokens, hiddenSize: size, values: $0)
                }
            }
        }
        mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest {
            AttentionRequest(wholeMap: true)
        }
        mutating func block(_ capture: borrowing BlockCapture) throws {
            let (layer, heads, kvHeads, headDim, tokens, causal, window) =
                (
                    capture.layer, capture.heads, capture.kvHeads, capture.headDim, capture.tokenCount, capture.causal,
                    capture.window
                )
            let map = try #require(capture.withAttention { $0.withUnsafeBufferPointer(Array.init) })
            try capture.withValues { values in
                try values.withUnsafeBufferPointer { v in
                    try map.withUnsafeBufferPointer { a in
                        try analyzer.addBlock(
                            layer: layer, heads: heads, kvHeads: kvHeads, headDim: headDim, tokenCount: tokens,
                            causal: causal, window: window, attention: a, values: v, tokenIDs: tokenIDs)
                    }
                }
            }
            try embeddings(capture.hidden)
        }
    }

    @Test(
        "streamed = whole-layer metrics over 128 tokens (two row blocks)",
        arguments: ["llama-tiny", "mistral-tiny", "gpt2-tiny", "bert-tiny", "gemma3-tiny", "qwen3-tiny"])
    func streamedEqualsWholeLayer(fixture: String) throws {
        let model = try ModelRegistry.load(try ModelRegistry.open(Fixtures.url("models/\(fixture)")))
        let tokens = (0..<128).map { ($0 * 37 + 11) % 500 }
        var streamed = AnalyzingObserver(analyzer: SampleAnalyzer(), tokenIDs: tokens),
            whole = WholeMapObserver(tokenIDs: tokens)
        try model.run(tokens: tokens, observer: &streamed)
        try model.run(tokens: tokens, observer: &whole)
        let labels = tokens.map(String.init)
        let a = try streamed.analyzer.finish(tokenIDs: tokens, tokens: labels, text: nil)
        let b = try whole.analyzer.finish(tokenIDs: tokens, tokens: labels, text: nil)
        #expect(streamed.analyzer.keyImportance == whole.analyzer.keyImportance)
        #expect(a.layers.count == b.layers.count)
        var worst = 0.0
        for (x, y) in zip(a.layers, b.layers) {
            for (p, q) in zip(x.heads, y.heads) {
                worst = max(worst, abs(p.headEntropy - q.headEntropy) / max(q.headEntropy, 1e-3))
                worst = max(worst, abs((p.normalizedHeadEntropy ?? 0) - (q.normalizedHeadEntropy ?? 0)))
                #expect(p.valueWeightedFirstTokenShare != nil && p.headOutputNorm != nil)
                #expect(q.valueWeightedFirstTokenShare == nil && q.headOutputNorm == nil)
                var measured = p
                (measured.headEntropy, measured.normalizedHeadEntropy) = (q.headEntropy, q.normalizedHeadEntropy)
                (measured.valueWeightedFirstTokenShare, measured.headOutputNorm) = (nil, nil)
                #expect(measured == q, "sink mass and role scores are the same sums on either path")
            }
        }
        #expect(worst < 1e-6, "head entropies differ by \(worst) relative")
        var sameEntropies = a
        for l in sameEntropies.layers.indices where l < b.layers.count {
            sameEntropies.layers[l].heads = b.layers[l].heads
        }
        #expect(sameEntropies == b)
    }
}
