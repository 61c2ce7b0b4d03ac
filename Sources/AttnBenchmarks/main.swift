// Times the forward pass with capture and the streaming analysis on a real
// checkpoint (default: the fetched SmolLM2-135M), at several lengths, then a
// short dataset run through AnalysisJob, the API `analyze` runs.
//
//     swift run -c release AttnBenchmarks [CHECKPOINT] [LENGTHS…]
//
// Run it under `/usr/bin/time -v` for the peak resident memory.
import AttnAnalysis
import AttnKernels
import AttnModel
import AttnScope
import Foundation

/// Receives the probe's buffers and drops them: the cost of capture alone.
struct DiscardingObserver: ProbeObserver {
    var blocks = 0
    mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {}
    mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest { AttentionRequest() }
    mutating func block(_ capture: borrowing BlockCapture) throws { blocks += 1 }
}

/// `analyze`'s observer, clocking the time spent inside it.
struct TimedObserver: ProbeObserver {
    var inner = AnalyzingObserver(analyzer: SampleAnalyzer())
    var analysisTime = Duration.zero
    let clock = ContinuousClock()
    mutating func embeddings(_ h: borrowing HiddenStateView) throws {
        let start = clock.now
        try inner.embeddings(h)
        analysisTime += clock.now - start
    }
    mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest { try inner.attention(layout) }
    mutating func block(_ c: borrowing BlockCapture) throws {
        let start = clock.now
        try inner.block(c)
        analysisTime += clock.now - start
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// The best of `runs` timings of `body`, in seconds.
func best(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs { times.append(seconds(try clock.measure(body))) }
    return times.min() ?? 0
}

let arguments = Array(CommandLine.arguments.dropFirst())
let path = arguments.first { !$0.allSatisfy(\.isNumber) } ?? "notebooks-data/checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf"
let lengths = arguments.compactMap { Int($0) }.isEmpty ? [512, 2048] : arguments.compactMap { Int($0) }

let clock = ContinuousClock()
var loaded: LoadedModel?
let loadTime = seconds(try clock.measure { loaded = try LoadedModel(url: URL(fileURLWithPath: path)) })
guard let loaded else { fatalError("unreachable") }
let d = loaded.model.description
print("checkpoint \(path): \(d.layers) blocks, \(d.heads) heads, hidden \(d.hiddenSize); load \(String(format: "%.2f", loadTime)) s; threads \(Parallel.threads)")

// Natural text, repeated until long enough.
let passages = (try? Prompt.read(from: URL(fileURLWithPath: "notebooks-data/prompts/shakespeare.jsonl"))) ?? []
let corpus = passages.isEmpty
    ? String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 400)
    : passages.compactMap(\.text).joined(separator: "\n")
var ids = loaded.tokenizer?.encode(corpus, addSpecialTokens: false) ?? Array(repeating: 42, count: 4096)
while ids.count < (lengths.max() ?? 0) { ids += ids }

for t in lengths {
    let tokens = Array(ids.prefix(t))
    var discard = DiscardingObserver()
    try loaded.model.run(tokens: tokens, observer: &discard)  // warm-up
    let forward = try best(3) { try loaded.model.run(tokens: tokens, observer: &discard) }
    var metrics = Double.infinity
    for _ in 0..<3 {
        var observer = TimedObserver()
        try loaded.model.run(tokens: tokens, observer: &observer)
        let start = clock.now
        _ = try observer.inner.analyzer.finish(tokenIDs: tokens, tokens: tokens.map(String.init), text: nil)
        metrics = min(metrics, seconds(observer.analysisTime + (clock.now - start)))
    }
    print(String(
        format: "T=%5d  forward+capture %.3f s (%.0f tokens/s)  all metrics %.3f s = %.1f %% of the forward pass",
        t, forward, Double(t) / forward, metrics, 100 * metrics / forward))
}

// The first bundled passages as a dataset run, streamed into a temporary folder.
let dataset = Array(passages.prefix(24))
if !dataset.isEmpty {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-benchmark-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var samples = 0
    let time = seconds(try clock.measure {
        samples = try AnalysisJob(loaded: loaded, prompts: dataset, figures: false, label: "benchmark").run(into: folder).summary.samples
    })
    print(String(format: "dataset: %d passages through AnalysisJob in %.2f s (%.2f samples/s)", samples, time, Double(samples) / time))
}
