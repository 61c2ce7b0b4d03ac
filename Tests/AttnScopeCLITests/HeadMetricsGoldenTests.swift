import AttnAnalysis
import AttnModel
import AttnScope
import Foundation
import Testing
import TestSupport

/// attnscope's streamed head metrics equal the numpy reference of HF's eager forward (make_golden_heads.py).
///
/// Each `Tests/Fixtures/golden/<model>.heads.json` names a checkpoint, a
/// variant and prompts (one repeats a random sequence); the forward runs with
/// the statistics `analyze` streams, and every head's sink mass, role scores,
/// value-weighted first-token share and output norm, and every block's top
/// keys, are compared: within 1e-4, norms relative.
struct HeadMetricsGoldenTests {
    static let tolerance = 1e-4

    struct Reference: Decodable {
        struct Sample: Decodable {
            let token_ids: [Int]
            let layers: [Layer]
        }
        struct Layer: Decodable {
            let top_keys: [TopKey]
            let heads: [Head]
        }
        struct Head: Decodable {
            let sink_mass: Double
            let previous_token_score, duplicate_token_score, induction_score: Double?
            let value_weighted_first_token_share, head_output_norm: Double?
        }
        let model: String
        let checkpoint: String
        let variant: String
        let samples: [Sample]
    }

    static var references: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("golden").path)) ?? []
        return names.filter { $0.hasSuffix(".heads.json") }.sorted()
    }

    @Test func everyFamilyHasAReference() {
        for model in [
            "llama-tiny", "gpt2-tiny", "bert-tiny", "gemma3-tiny", "qwen3-tiny", "phi3-tiny", "resformer", "svformer",
            "cla", "smollm2",
            "minilm", "nanochat-tiny", "neox-tiny", "neox-sequential-tiny", "olmo2-tiny", "gptoss-tiny", "mpnet-tiny",
            "mpnet",
        ] {
            #expect(Self.references.contains("\(model).heads.json"), "\(model).heads.json: run make_golden_heads.py")
        }
    }

    @Test(
        "one kv head and one row block (the trained GQA model): every head gets its norms, no worker overruns its scratch"
    )
    func singleKVHead() throws {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("notebooks-data/trained/gqa-seed0")
        let model = try ModelRegistry.load(try ModelRegistry.open(folder))
        try #require(model.description.kvHeads == 1 && model.description.heads == 2)
        let ids = (0..<40).map { ($0 * 7 + 1) % 60 }
        var observer = AnalyzingObserver(analyzer: SampleAnalyzer(), tokenIDs: ids)
        try model.run(tokens: ids, observer: &observer)
        let metrics = try observer.analyzer.finish(tokenIDs: ids, tokens: ids.map(String.init), text: nil)
        for head in metrics.layers.flatMap(\.heads) {
            #expect(head.valueWeightedFirstTokenShare.map { (0...1).contains($0) } == true)
            #expect(head.headOutputNorm.map { $0.isFinite && $0 > 0 } == true)
        }
    }

    /// The largest deviation of each metric over a reference's samples.
    struct Deviations: CustomStringConvertible {
        var worst: [String: Double] = [:]
        mutating func note(_ name: String, _ value: Double) { worst[name] = max(worst[name] ?? 0, value) }
        var description: String { worst.keys.sorted().map { "\($0) \(worst[$0]!)" }.joined(separator: ", ") }
    }

    @Test(arguments: references)
    func headMetricsMatchTheReference(file: String) throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("golden/\(file)")))
        let url =
            reference.checkpoint.hasPrefix("checkpoints/")
            ? Fixtures.checkpoints.appendingPathComponent(String(reference.checkpoint.dropFirst("checkpoints/".count)))
            : Fixtures.url(reference.checkpoint)
        let model = try ModelRegistry.load(
            try ModelRegistry.open(try Fixtures.require(url)), variant: try VariantRequest(parsing: reference.variant))
        var deviations = Deviations()
        for (s, sample) in reference.samples.enumerated() {
            let ids = sample.token_ids
            var observer = AnalyzingObserver(analyzer: SampleAnalyzer(), tokenIDs: ids)
            try model.run(tokens: ids, observer: &observer)
            let metrics = try observer.analyzer.finish(tokenIDs: ids, tokens: ids.map(String.init), text: nil)
            try #require(metrics.layers.count == sample.layers.count)
            for (l, (actual, expected)) in zip(metrics.layers, sample.layers).enumerated() {
                let at = "\(reference.model) s\(s) layers[\(l)]"
                compare(actual.topKeys, expected.top_keys, at, &deviations)
                try #require(actual.heads.count == expected.heads.count)
                for (h, (a, e)) in zip(actual.heads, expected.heads).enumerated() {
                    let head = "\(at) heads[\(h)]"
                    close(a.sinkMass, e.sink_mass, "sink_mass", head, &deviations)
                    close(a.previousTokenScore, e.previous_token_score, "previous_token_score", head, &deviations)
                    close(a.duplicateTokenScore, e.duplicate_token_score, "duplicate_token_score", head, &deviations)
                    close(a.inductionScore, e.induction_score, "induction_score", head, &deviations)
                    close(
                        a.valueWeightedFirstTokenShare, e.value_weighted_first_token_share,
                        "value_weighted_first_token_share", head, &deviations)
                    close(a.headOutputNorm, e.head_output_norm, "head_output_norm", head, &deviations, relative: true)
                }
            }
        }
        print("head metrics \(reference.model) vs the reference: largest deviation \(deviations)")
    }

    /// The same keys in the same order, except that keys whose masses tie within the tolerance may swap.
    func compare(_ actual: [TopKey], _ expected: [TopKey], _ at: String, _ deviations: inout Deviations) {
        #expect(actual.count == expected.count, "\(at) top_keys count")
        for (k, (a, e)) in zip(actual, expected).enumerated() {
            let tied = expected.contains { $0.token == a.token && abs($0.mass - e.mass) <= Self.tolerance }
            #expect(a.token == e.token || tied, "\(at) top_keys[\(k)]: key \(a.token) vs \(e.token)")
            close(a.mass, e.mass, "top_keys.mass", "\(at) top_keys[\(k)]", &deviations)
        }
    }

    func close(
        _ actual: Double?, _ expected: Double?, _ name: String, _ at: String, _ deviations: inout Deviations,
        relative: Bool = false
    ) {
        guard let actual, let expected else {
            #expect(
                actual == nil && expected == nil,
                "\(at) \(name): \(String(describing: actual)) vs \(String(describing: expected))")
            return
        }
        let deviation = abs(actual - expected) / (relative ? max(abs(expected), 1e-12) : 1)
        deviations.note(name, deviation)
        #expect(deviation <= Self.tolerance, "\(at) \(name): \(actual) vs \(expected)")
    }
}
