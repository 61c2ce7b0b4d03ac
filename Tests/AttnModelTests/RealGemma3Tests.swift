import AttnAnalysis
import AttnCheckpoint
import Foundation
import Testing
import TestSupport
@testable import AttnModel

/// Gemma 3 270M (GGUF, Q4_K_M, fetched by `.ci/setup`) read through the
/// gemma3 family's GGUF view and run against HF transformers' forward pass
/// of the same file (`AutoModelForCausalLM.from_pretrained(dir, gguf_file=…)`,
/// dequantized to float32, eager attention).
///
/// The reference (`golden/gemma3-270m/`, written by `make_golden.py --only
/// gemma3-270m`) holds selected query rows of every block's maps, the value
/// and hidden states of those tokens, and the metrics of the full capture,
/// for two short texts and 600 tokens (past the 512-token window).
struct RealGemma3Tests {
    static let metricsTolerance = 1e-4

    @Test func configAndTensorsAsHFsGGUFLoaderReadsThem() throws {
        let checkpoint = try ModelRegistry.open(try Fixtures.require(Fixtures.gemma3))
        #expect(checkpoint.tensorNames.count == 236)
        #expect(
            checkpoint.info("model.embed_tokens.weight")
                == TensorInfo(name: "model.embed_tokens.weight", shape: [262_144, 640], dtype: .q8_0))
        #expect(checkpoint.info("model.layers.17.self_attn.q_norm.weight")?.shape == [256])
        #expect(checkpoint.info("model.layers.0.mlp.down_proj.weight")?.shape == [640, 2048])
        for layer in 0..<18 {
            for norm in [
                "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                "post_feedforward_layernorm",
            ] {
                #expect(checkpoint.contains("model.layers.\(layer).\(norm).weight"))
            }
        }
        let config = try #require(checkpoint.configuration as? Gemma3Configuration)
        // The values `AutoConfig.from_pretrained(dir, gguf_file=…)` holds (transformers 5.23).
        #expect(String(decoding: checkpoint.configData, as: UTF8.self) == #"{"model_type":"gemma3_text"}"#)
        #expect(config.hiddenSize == 640)
        #expect(config.intermediateSize == 2048)
        #expect(config.layers == 18)
        #expect(config.heads == 4)
        #expect(config.kvHeads == 1)
        #expect(config.headDim == 256)
        #expect(config.ropeTheta == 1_000_000)
        #expect(config.ropeLocalBaseFrequency == 10_000)
        #expect(config.slidingWindow == 512)
        #expect(config.slidingWindowPattern == 6)
        #expect(config.queryPreAttentionScalar == 256)
        #expect(config.maxPositions == 32_768)
        #expect(config.vocabularySize == 262_144)

        let model = try ModelRegistry.load(checkpoint)
        #expect(model.description.family == "gemma3")
        #expect(model.description.slidingWindow == 512)
        #expect(model.description.slidingBlocks == 15)
    }

    @Test("Gemma 3 270M, Q4_K_M GGUF: attention rows, states and metrics equal HF's")
    func forwardEqualsTransformers() throws {
        let model = try ModelRegistry.load(ModelRegistry.open(try Fixtures.require(Fixtures.gemma3)))
        let golden = try SafetensorsFile(url: Fixtures.url("golden/gemma3-270m/capture.safetensors"))
        let header = try JSONDecoder().decode(Header.self, from: Data((golden.metadata["golden"] ?? "").utf8))
        let reference = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixtures.url("golden/gemma3-270m/metrics.json")))
        let referenceSamples = try #require((reference as? [String: Any])?["samples"] as? [Any])
        try #require(referenceSamples.count == header.samples.count)
        var worst = RowDeviation(), metrics = 0.0
        for (index, sample) in header.samples.enumerated() {
            var observer = RowComparison(golden: golden, sample: index, rows: sample.rows)
            try model.run(tokens: sample.tokenIDs, observer: &observer)
            worst.merge(observer.deviation)
            let computed = try observer.analyzer.finish(
                tokenIDs: sample.tokenIDs, tokens: sample.tokenIDs.map(String.init), text: sample.text)
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(computed))
            metrics = max(metrics, try JSONDeviation.worst(encoded, referenceSamples[index], path: "s\(index)"))
        }
        print("golden gemma3-270m: \(worst), metrics max |Δ|/(1 + |ref|) \(metrics)")
        #expect(worst.blocks == header.samples.count * 18)
        #expect(worst.attention <= GoldenForwardTests.attentionTolerance)
        #expect(worst.values <= GoldenForwardTests.stateTolerance)
        #expect(worst.hidden <= GoldenForwardTests.stateTolerance)
        #expect(metrics <= Self.metricsTolerance)
    }

    struct Header: Decodable {
        struct Sample: Decodable {
            var tokenIDs: [Int]
            var text: String?
            /// The query rows the reference keeps.
            var rows: [Int]
            enum CodingKeys: String, CodingKey { case text, rows; case tokenIDs = "token_ids" }
        }
        var samples: [Sample]
    }

    /// The worst deviations over the kept rows.
    struct RowDeviation: CustomStringConvertible {
        /// max |Δ| of the attention probabilities.
        var attention: Float = 0
        /// max |Δ| / max |reference| of the values and hidden states of the kept tokens.
        var values: Float = 0, hidden: Float = 0
        var blocks = 0

        mutating func merge(_ other: RowDeviation) {
            attention = max(attention, other.attention)
            values = max(values, other.values)
            hidden = max(hidden, other.hidden)
            blocks += other.blocks
        }

        var description: String { "attention rows max|Δ| \(attention), values rel \(values), hidden rel \(hidden)" }
    }

    /// Compares the kept rows of each observation with the reference and
    /// feeds every observation to a ``SampleAnalyzer``.
    struct RowComparison: ProbeObserver {
        let golden: SafetensorsFile
        let sample: Int
        let rows: [Int]
        var deviation = RowDeviation()
        var analyzer = SampleAnalyzer(settings: AnalysisSettings(sinkEpsilon: 0.3, sinkKey: 0))

        mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {
            try compareHidden(hidden)
        }

        mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest {
            AttentionRequest(wholeMap: true)
        }

        mutating func block(_ capture: borrowing BlockCapture) throws {
            let (l, t, heads, kvHeads, d) = (
                capture.layer, capture.tokenCount, capture.heads, capture.kvHeads, capture.headDim
            )
            let attention = try golden.floats("s\(sample).attn_rows.\(l)"),
                values = try golden.floats("s\(sample).value_rows.\(l)")
            let rows = self.rows
            let compared: Void? = try capture.withAttention { span in
                try span.withUnsafeBufferPointer { a in
                    try capture.withValues { valueSpan in
                        try valueSpan.withUnsafeBufferPointer { v in
                            try analyzer.addBlock(
                                layer: l, heads: heads, kvHeads: kvHeads, headDim: d, tokenCount: t,
                                causal: capture.causal, window: capture.window, attention: a, values: v)
                            // Reference layouts: attention [H, R, T], values [G, R, d].
                            let keptAttention = Self.kept(rows, of: a, groups: heads, tokens: t, width: t)
                            let keptValues = Self.kept(rows, of: v, groups: kvHeads, tokens: t, width: d)
                            deviation.attention = max(deviation.attention, Self.absolute(keptAttention, attention))
                            deviation.values = max(deviation.values, Self.relative(keptValues, values))
                        }
                    }
                }
            }
            #expect(compared != nil, "block \(l): the whole map was asked for")
            deviation.blocks += 1
            try compareHidden(capture.hidden)
        }

        private mutating func compareHidden(_ hidden: borrowing HiddenStateView) throws {
            let (index, t, width) = (hidden.index, hidden.tokenCount, hidden.hiddenSize)
            // Reference layout: [L+1, R, D].
            let all = try golden.floats("s\(sample).hidden_rows"), count = rows.count * width
            let reference = Array(all[index * count..<(index + 1) * count])
            let rows = self.rows
            try hidden.withValues { span in
                try span.withUnsafeBufferPointer { h in
                    try analyzer.addHiddenState(index: index, tokenCount: t, hiddenSize: width, values: h)
                    let kept = Self.kept(rows, of: h, groups: 1, tokens: t, width: width)
                    deviation.hidden = max(deviation.hidden, Self.relative(kept, reference))
                }
            }
        }

        /// Rows `rows` of each group of `x[groups, tokens, width]`, as `[groups, rows.count, width]`.
        static func kept(
            _ rows: [Int], of x: UnsafeBufferPointer<Float>, groups: Int, tokens: Int, width: Int
        ) -> [Float] {
            var out: [Float] = []
            for g in 0..<groups {
                for r in rows {
                    let start = (g * tokens + r) * width
                    out += x[start..<start + width]
                }
            }
            return out
        }

        static func absolute(_ a: [Float], _ b: [Float]) -> Float {
            guard a.count == b.count else { return .infinity }
            return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
        }

        static func relative(_ a: [Float], _ b: [Float]) -> Float {
            absolute(a, b) / max(b.reduce(0) { max($0, abs($1)) }, .leastNormalMagnitude)
        }
    }
}

/// The largest difference between two JSON trees of the same shape:
/// `|a − b| / (1 + |b|)` over numbers; a different shape, key set, string or
/// null-ness is infinitely far.
enum JSONDeviation {
    static func worst(_ a: Any, _ b: Any, path: String) throws -> Double {
        switch (a, b) {
        case let (a as [String: Any], b as [String: Any]):
            // Every key of the reference (its metrics.json predates the head-role and value-weighted metrics,
            // which HeadMetricsGoldenTests holds to HF on other checkpoints) must be there and agree.
            guard Set(b.keys).isSubset(of: a.keys) else {
                throw Mismatch(path: path, detail: "keys \(a.keys.sorted()) vs \(b.keys.sorted())")
            }
            return try b.keys.reduce(0) { max($0, try worst(a[$1]!, b[$1]!, path: path + "." + $1)) }
        case let (a as [Any], b as [Any]):
            guard a.count == b.count else { throw Mismatch(path: path, detail: "\(a.count) vs \(b.count) entries") }
            return try zip(a, b).enumerated().reduce(0) {
                max($0, try worst($1.element.0, $1.element.1, path: path + "[\($1.offset)]"))
            }
        case let (a as NSNumber, b as NSNumber):
            return abs(a.doubleValue - b.doubleValue) / (1 + abs(b.doubleValue))
        case let (a as String, b as String):
            guard a == b else { throw Mismatch(path: path, detail: "'\(a)' vs '\(b)'") }
            return 0
        case (is NSNull, is NSNull):
            return 0
        default:
            throw Mismatch(path: path, detail: "\(a) vs \(b)")
        }
    }

    struct Mismatch: Error, CustomStringConvertible {
        let path: String, detail: String
        var description: String { "metrics differ at \(path): \(detail)" }
    }
}
