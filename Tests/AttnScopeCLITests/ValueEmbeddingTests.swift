import AttnAnalysis
import AttnScope
import Foundation
import Testing
import TestSupport

/// nanochat's value-embedding metrics against the gates and embeddings its
/// own forward computed (`make_nanochat_golden.py`, hooks on `ve_gate` and
/// `value_embeds`): blocks 0 and 2 of the tiny run have value embeddings.
struct ValueEmbeddingTests {
    /// `golden/nanochat-tiny.value-embedding.json`.
    struct Reference: Decodable {
        struct Block: Decodable {
            var gate: [Double]
            var first_token_share: [Double]
            var share: [Double]
        }
        struct Sample: Decodable {
            var token_ids: [Int]
            var layers: [String: Block]
        }
        var samples: [Sample]
    }

    static let tolerance = 1e-5

    @Test("gate and embedding share per kv head equal nanochat's, on the blocks that have a value embedding only")
    func golden() throws {
        let loaded = try LoadedModel(url: Fixtures.url("nanochat/tiny-run"))
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: Fixtures.url("golden/nanochat-tiny.value-embedding.json")))
        var summary = DatasetSummary(), deviation = 0.0
        for sample in reference.samples {
            let ids = sample.token_ids
            var observer = AnalyzingObserver(analyzer: SampleAnalyzer(), tokenIDs: ids)
            try loaded.model.run(tokens: ids, observer: &observer)
            let metrics = try observer.analyzer.finish(tokenIDs: ids, tokens: ids.map(String.init), text: nil)
            for (l, layer) in metrics.layers.enumerated() {
                guard let expected = sample.layers[String(l)] else {
                    #expect(layer.valueEmbedding == nil, "block \(l) has no value embedding")
                    continue
                }
                let got = try #require(layer.valueEmbedding, "block \(l)")
                let pairs =
                    zip(got.gate, expected.gate).map { ($0, $1) }
                    + zip(got.firstTokenShare, expected.first_token_share).map { ($0 ?? .nan, $1) }
                    + zip(got.share, expected.share).map { ($0 ?? .nan, $1) }
                #expect(got.gate.count == expected.gate.count && got.share.count == expected.share.count)
                for (a, b) in pairs { deviation = max(deviation, abs(a - b) / max(abs(b), 1e-12)) }
            }
            try summary.add(metrics)
        }
        print("value embedding vs nanochat: largest relative deviation \(deviation)")
        #expect(deviation <= Self.tolerance)
        #expect(summary.layers[0].names.contains(.valueEmbeddingShare))
        #expect(!summary.layers[1].names.contains { $0.rawValue.hasPrefix("value_embedding") })
        #expect(summary.layers[2][.valueEmbeddingGate].count == reference.samples.count)
    }
}
