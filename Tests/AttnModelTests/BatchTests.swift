import AttnModel
import Foundation
import Testing
import TestSupport

/// Prompts run as one batch (``TransformerModel/run(batch:observers:)``)
/// hand their observers the very bits they get one by one: every hidden
/// state, value state, attention map and streamed attention row.
struct BatchTests {
    /// Keeps every observation of one prompt, as bit patterns.
    struct Recorder: ProbeObserver {
        var hidden: [[UInt32]] = [], values: [[UInt32]] = [], maps: [[UInt32]] = []
        let rows = RowRecorder()

        mutating func embeddings(_ view: borrowing HiddenStateView) throws {
            hidden.append(view.withValues { span in span.withUnsafeBufferPointer { $0.map(\.bitPattern) } })
        }
        mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest {
            AttentionRequest(rows: rows, wholeMap: true)
        }
        mutating func block(_ capture: borrowing BlockCapture) throws {
            maps.append(capture.withAttention { span in span.withUnsafeBufferPointer { $0.map(\.bitPattern) } } ?? [])
            values.append(capture.withValues { span in span.withUnsafeBufferPointer { $0.map(\.bitPattern) } })
            try embeddings(capture.hidden)
        }
    }

    /// A ``Recorder`` whose batch mates are observed side by side (``ProbeObserver/observesConcurrently``).
    struct ConcurrentRecorder: ProbeObserver {
        static var observesConcurrently: Bool { true }
        var recorder = Recorder()

        mutating func embeddings(_ view: borrowing HiddenStateView) throws { try recorder.embeddings(view) }
        mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest {
            try recorder.attention(layout)
        }
        mutating func block(_ capture: borrowing BlockCapture) throws { try recorder.block(capture) }
    }

    /// Every streamed block's first query, keys, probabilities and entropies, in arrival order per head.
    final class RowRecorder: AttentionRowConsumer, @unchecked Sendable {
        private let lock = NSLock()
        private var heads: [Int: [[UInt64]]] = [:]

        func consume(_ rows: borrowing AttentionRows) {
            let header = [UInt64(rows.firstQuery), UInt64(rows.keys.lowerBound), UInt64(rows.keys.upperBound)]
            let p = rows.withProbabilities { span in span.withUnsafeBufferPointer { $0.map { UInt64($0.bitPattern) } } }
            let h = rows.withEntropies { span in span.withUnsafeBufferPointer { $0.map(\.bitPattern) } }
            let head = rows.head
            lock.withLock { heads[head, default: []].append(header + p + h) }
        }

        var recorded: [Int: [[UInt64]]] { lock.withLock { heads } }
    }

    static let lengths = [3, 40, 130, 7, 1]

    @Test(
        "a batch equals its prompts run one by one",
        arguments: [
            ("models/llama-tiny", "auto"), ("models/mistral-tiny", "auto"), ("models/qwen3-tiny", "auto"),
            ("models/phi3-tiny", "auto"),
            ("models/gemma3-tiny", "auto"), ("gguf/qwen2-gguf-tiny.gguf", "auto"),
            ("models/denseformer", "denseformer"),
            ("models/resformer", "resformer"), ("models/neutreno", "neutreno"), ("models/svformer", "svformer"),
            ("models/cla", "cla"),
        ])
    func batchEqualsOneByOne(fixture: String, variant: String) throws {
        let model = try ModelRegistry.load(
            try ModelRegistry.open(Fixtures.url(fixture)), variant: try VariantRequest(parsing: variant))
        try check(model, lengths: Self.lengths.map { min($0, model.description.maxPositions) })
    }

    @Test("SmolLM2-135M: a batch equals its prompts run one by one")
    func smolLM2BatchEqualsOneByOne() throws {
        let model = try ModelRegistry.load(try ModelRegistry.open(try Fixtures.require(Fixtures.smolLM2)))
        try check(model, lengths: [5, 130, 64])
    }

    private func check(_ model: any TransformerModel, lengths: [Int]) throws {
        let prompts = lengths.enumerated().map { s, n in
            (0..<n).map { ($0 * 37 + s * 101 + 5) % (model.description.vocabularySize - 3) + 3 }
        }
        var inOrder = prompts.map { _ in Recorder() }
        try model.run(batch: prompts, observers: &inOrder)
        var sideBySide = prompts.map { _ in ConcurrentRecorder() }
        try model.run(batch: prompts, observers: &sideBySide)
        for (s, tokens) in prompts.enumerated() {
            var alone = Recorder()
            try model.run(tokens: tokens, observer: &alone)
            for (batched, how) in [(inOrder[s], "in order"), (sideBySide[s].recorder, "side by side")] {
                #expect(batched.hidden.count == model.description.layers + 1)
                #expect(batched.hidden == alone.hidden, "prompt \(s) (\(tokens.count) tokens, \(how)): hidden states")
                #expect(batched.values == alone.values, "prompt \(s) (\(how)): value states")
                #expect(batched.maps == alone.maps, "prompt \(s) (\(how)): attention maps")
                #expect(batched.rows.recorded == alone.rows.recorded, "prompt \(s) (\(how)): streamed attention rows")
            }
        }
    }
}
