// The whole `analyze` job on each case, against this machine's own sgemm
// peak measured in the same process. A case is one prompt of T tokens (`T`)
// or a dataset of N prompts of T tokens each (`NxT`, the short prompts sink
// studies run); default: the fetched SmolLM2-135M on 256x64, 512, 2048 and
// 8192:
//
//     swift run -c release AttnBenchmarks [CHECKPOINT] [CASES…] [--threads N]
//
// Peak memory is process-wide, so each case runs in a fresh copy of this
// program (`--case C`), which reports its own high-water mark (VmHWM).
// `--tokens T` prints the benchmark's T-token prompt as a JSON Lines record
// (`notebooks-data/bench/hf_reference.py` runs HF transformers on it).
// `--runs R` times each case R times (default 3 for one prompt up to 2,048
// tokens, else 1) and prints every run; `--under-load` keeps one core busy
// with another process (this program's `--spin`) while the cases run, the
// test of how a run degrades on a shared machine.
import AttnAnalysis
import AttnKernels
import AttnModel
import AttnScope
import Foundation

/// Asks for nothing: the forward pass alone, attention included, no statistics.
struct DiscardingObserver: ProbeObserver {
    mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {}
    mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest { AttentionRequest() }
    mutating func block(_ capture: borrowing BlockCapture) throws {}
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// Runs `body` `runs` times; the median wall time in seconds.
func medianTime(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs { times.append(seconds(try clock.measure(body))) }
    return median(times)
}

/// This process's CPU time (user + system, all threads) in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let time = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return time(usage.ru_utime) + time(usage.ru_stime)
}

/// Runs `body` once: its wall time and the CPU time this process spent meanwhile, in seconds.
func measured(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let clock = ContinuousClock(), before = cpuSeconds()
    let wall = seconds(try clock.measure(body))
    return (wall, cpuSeconds() - before)
}

/// This process's peak resident memory (VmHWM) in MiB.
func peakResidentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
    let kib = line.flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    return kib / 1024
}

/// The sgemm rate of this machine under the threading plan: the best of three
/// `[n, n] · [n, n]` products through ``BLAS/gemm``, in GFLOP/s.
func sgemmPeak(n: Int = 2048) -> Double {
    let a = FloatBuffer(count: n * n), b = FloatBuffer(count: n * n), c = FloatBuffer(count: n * n)
    for i in 0..<(n * n) {
        a.pointer[i] = Float(i % 7) * 0.1
        b.pointer[i] = Float(i % 5) * 0.1
    }
    let clock = ContinuousClock()
    let best = (0..<3).map { _ in
        seconds(clock.measure { BLAS.gemm(m: n, n: n, k: n, a.pointer, b.pointer, c.pointer) })
    }.min()!
    return 2 * Double(n * n * n) / best / 1e9
}

/// The floating-point operations that are needed for `t` tokens: the block
/// projections (`2·T` per weight) and attention over the visible keys only
/// (`Q·Kᵀ` and `P·V`, `2·d` each per visible query-key pair).
func usefulFLOPs(_ d: ModelDescription, tokens t: Int) -> (projections: Double, attention: Double) {
    let D = Double(d.hiddenSize), hd = Double(d.headDim), T = Double(t)
    let mlpMatrices = d.family == "gpt2" || d.family == "bert" ? 2.0 : 3.0
    let weights =
        D * Double(d.heads) * hd * 2 + D * Double(d.kvHeads) * hd * 2 + mlpMatrices * D * Double(d.intermediateSize)
    let pairs = d.causal ? T * (T + 1) / 2 : T * T
    let layers = Double(d.layers)
    return (2 * T * weights * layers, 4 * hd * pairs * Double(d.heads) * layers)
}

/// The sgemm time of the projections alone: the same products on stand-in
/// matrices, for the profile.
func projectionTime(_ d: ModelDescription, tokens t: Int) -> Double {
    let D = d.hiddenSize, inner = d.intermediateSize
    let shapes =
        [(D, d.heads * d.headDim), (D, d.kvHeads * d.headDim), (D, d.kvHeads * d.headDim), (d.heads * d.headDim, D)]
        + (d.family == "gpt2" || d.family == "bert" ? [(D, inner), (inner, D)] : [(D, inner), (D, inner), (inner, D)])
    let widest = shapes.map { max($0.0, $0.1) }.max()!
    let input = FloatBuffer(count: t * widest), output = FloatBuffer(count: t * widest),
        weight = FloatBuffer(count: widest * widest)
    let clock = ContinuousClock()
    return seconds(
        clock.measure {
            for _ in 0..<d.layers {
                for (inputs, outputs) in shapes {
                    BLAS.gemm(
                        m: t, n: outputs, k: inputs, input.pointer, weight.pointer, transposeB: true, output.pointer)
                }
            }
        })
}

/// One benchmark case: `prompts` prompts of `tokens` tokens each.
struct Case: CustomStringConvertible {
    var prompts: Int
    var tokens: Int

    /// `T` (one prompt) or `NxT`; nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        switch parts.count {
        case 1: (prompts, tokens) = (1, parts[0] ?? 0)
        case 2: (prompts, tokens) = (parts[0] ?? 0, parts[1] ?? 0)
        default: return nil
        }
        guard prompts > 0, tokens > 0 else { return nil }
    }

    var description: String { prompts == 1 ? String(tokens) : "\(prompts)x\(tokens)" }
}

/// The benchmark's prompt: the bundled passages' tokens, repeated to `t`.
func promptTokens(_ loaded: LoadedModel, count t: Int) throws -> [Int] {
    let passages = (try? Prompt.read(from: URL(fileURLWithPath: "notebooks-data/prompts/shakespeare.jsonl"))) ?? []
    let corpus =
        passages.isEmpty
        ? String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 400)
        : passages.compactMap(\.text).joined(separator: "\n")
    var ids = try loaded.tokenizer?.encode(corpus, addSpecialTokens: false) ?? Array(repeating: 42, count: 4096)
    while ids.count < t { ids += ids }
    return Array(ids.prefix(t))
}

/// One case in this process: prints a report line and a profile line.
/// The dataset's prompts are consecutive `T`-token pieces of the benchmark's
/// text, run in the batches `analyze` runs them in (``promptBatches(lengths:)``).
/// The sgemm peak is measured before and after the case and the higher
/// rate kept, so that a burst of load during one measurement does not
/// flatter the fraction.
func measure(path: String, _ c: Case, runs given: Int?) throws {
    let peakBefore = sgemmPeak()
    let clock = ContinuousClock()
    var loaded: LoadedModel?
    let loadTime = seconds(try clock.measure { loaded = try LoadedModel(url: URL(fileURLWithPath: path)) })
    guard let loaded else { fatalError("unreachable") }
    let d = loaded.model.description, t = c.tokens
    let text = try promptTokens(loaded, count: c.prompts * t)
    let prompts = (0..<c.prompts).map { Array(text[($0 * t)..<(($0 + 1) * t)]) }
    let runs = max(1, given ?? (c.prompts == 1 && t <= 2048 ? 3 : 1))
    let batches = promptBatches(lengths: prompts.map(\.count)).map { Array(prompts[$0]) }
    // The job `analyze --no-figures` runs on the prompts, a batch at a time: forward pass, statistics, metrics;
    // without `full`, without the head-role scores and value-weighted figures (issue 18's statistics).
    func runJob(full: Bool) throws {
        for batch in batches {
            var observers = batch.map {
                AnalyzingObserver(analyzer: SampleAnalyzer(), tokenIDs: full ? $0 : nil, headNorms: full)
            }
            try loaded.model.run(batch: batch, observers: &observers)
            for (tokens, observer) in zip(batch, observers) {
                _ = try observer.analyzer.finish(tokenIDs: tokens, tokens: tokens.map(String.init), text: nil)
            }
        }
    }
    // The two alternate, so that load drifting over the case weighs on both; the head statistics' cost is
    // read from process CPU time, which another process's load changes far less than wall time.
    var walls: [Double] = [], cpus: [Double] = [], savings: [Double] = []
    for _ in 0..<runs {
        let (wall, cpu) = try measured { try runJob(full: true) }
        let (_, earlierCPU) = try measured { try runJob(full: false) }
        (walls, cpus, savings) = (walls + [wall], cpus + [cpu], savings + [cpu - earlierCPU])
    }
    let job = median(walls), headCost = median(savings) / median(cpus)
    let forward = try medianTime(runs) {
        for batch in batches {
            var discard = batch.map { _ in DiscardingObserver() }
            try loaded.model.run(batch: batch, observers: &discard)
        }
    }
    // The projections of each batch's stacked rows (a batch's products see all its rows at once).
    var batchRowTimes: [Int: Double] = [:]
    let projections = batches.reduce(0.0) { total, batch in
        let rows = batch.reduce(0) { $0 + $1.count }
        if batchRowTimes[rows] == nil { batchRowTimes[rows] = projectionTime(d, tokens: rows) }
        return total + batchRowTimes[rows]!
    }
    let resident = peakResidentMiB()  // before the second peak measurement's three 2048² matrices
    let flops = usefulFLOPs(d, tokens: t), peakAfter = sgemmPeak(), peak = max(peakBefore, peakAfter)
    let (projectionFLOPs, attentionFLOPs) = (Double(c.prompts) * flops.projections, Double(c.prompts) * flops.attention)
    let rate = (projectionFLOPs + attentionFLOPs) / job / 1e9
    print(
        c.description.padding(toLength: 6, withPad: " ", startingAt: 0)
            + String(
                format:
                    "  job %.2f s (median of %d)  useful %.0f GFLOP (%.0f projections + %.0f attention) = %.1f GFLOP/s = %.0f %% of sgemm peak %.1f GFLOP/s (%.0f before, %.0f after)  peak RSS %.0f MiB  load %.2f s",
                job, runs, (projectionFLOPs + attentionFLOPs) / 1e9,
                projectionFLOPs / 1e9, attentionFLOPs / 1e9, rate, 100 * rate / peak, peak, peakBefore, peakAfter,
                resident, loadTime))
    print(
        String(
            format:
                "        profile: projection sgemm alone %.2f s (%.0f %%), rest of the forward pass (decode, attention, softmax, norms) %.2f s (%.0f %%), statistics and metrics %.2f s (%.0f %%); head roles and value-weighted attention %.1f %% of the job's CPU time",
            projections, 100 * projections / job, forward - projections, 100 * (forward - projections) / job,
            job - forward, 100 * (job - forward) / job,
            100 * headCost))
    if runs > 1 {
        print(
            "        runs: " + walls.map { String(format: "%.2f", $0) }.joined(separator: " ")
                + String(format: " s; slowest / fastest %.2f", walls.max()! / walls.min()!))
    }
}

/// Keeps one core busy until killed: the other process of `--under-load`.
func spin() -> Never {
    var x = 1.0
    while true {
        for _ in 0..<1_000_000 { x = x * 0.999_999_9 + 1e-7 }
        if x == 0 { print(x) }  // never true; keeps the loop from being optimized away
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
/// Removes `--name VALUE` from `arguments` and returns VALUE as an integer.
func take(_ name: String, from arguments: inout [String]) -> Int? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let value = Int(arguments[i + 1]) else {
        return nil
    }
    arguments.removeSubrange(i...(i + 1))
    return value
}
let threads = take("--threads", from: &arguments), printTokens = take("--tokens", from: &arguments)
let runs = take("--runs", from: &arguments)
/// Removes the flag `name` from `arguments`; whether it was there.
func flag(_ name: String, in arguments: inout [String]) -> Bool {
    guard let i = arguments.firstIndex(of: name) else { return false }
    arguments.remove(at: i)
    return true
}
if flag("--spin", in: &arguments) { spin() }
let underLoad = flag("--under-load", in: &arguments)
var single: Case?
if let i = arguments.firstIndex(of: "--case"), i + 1 < arguments.count {
    single = Case(arguments[i + 1])
    arguments.removeSubrange(i...(i + 1))
}
if let threads { Parallel.threads = threads }
let path = arguments.first { Case($0) == nil } ?? "notebooks-data/checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf"
let given = arguments.compactMap(Case.init)
let cases = given.isEmpty ? ["256x64", "512", "2048", "8192"].compactMap(Case.init) : given

if let t = printTokens {
    let tokens = try promptTokens(LoadedModel(url: URL(fileURLWithPath: path)), count: t)
    print("{\"token_ids\": [\(tokens.map(String.init).joined(separator: ", "))]}")
} else if let single {
    try measure(path: path, single, runs: runs)
} else {
    print(
        "\(path): threads \(Parallel.threads) (OpenBLAS single-threaded); each case in a fresh process"
            + (underLoad ? "; another process keeps one core busy throughout" : ""))
    let program = URL(fileURLWithPath: "/proc/self/exe")  // this program
    let spinner = Process()
    if underLoad {
        spinner.executableURL = program
        spinner.arguments = ["--spin"]
        try spinner.run()
    }
    defer { if underLoad { spinner.terminate() } }
    for c in cases {
        let child = Process()
        child.executableURL = program
        child.arguments =
            [path, "--case", c.description] + (threads.map { ["--threads", String($0)] } ?? [])
            + (runs.map { ["--runs", String($0)] } ?? [])
        try child.run()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            if underLoad { spinner.terminate() }
            fatalError("the \(c) run failed (exit \(child.terminationStatus))")
        }
    }
}
