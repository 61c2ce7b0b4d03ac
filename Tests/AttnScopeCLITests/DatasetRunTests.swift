import AttnAnalysis
import AttnScope
import Foundation
import Testing
import TestSupport

/// Dataset runs that outgrow one process: streamed samples, resume after a
/// kill, shards merged into the run one process would have written, and
/// memory that stays flat as prompts grow.
@Suite("dataset runs: streaming, resume, shards", .serialized)
struct DatasetRunTests {
    static let model = Fixtures.url("models/llama-tiny").path

    /// `count` prompts of 2 … 2 + `spread` − 1 token ids for the tiny Llama.
    static func prompts(_ count: Int, spread: Int = 7, in folder: URL) throws -> URL {
        let lines = (0..<count).map { i in
            "{\"token_ids\": \((0..<(2 + i % spread)).map { ($0 * 37 + i * 11) % 120 + 3 })}"
        }
        let url = folder.appendingPathComponent("prompts-\(count).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func analyze(_ prompts: URL, _ out: URL, _ extra: [String] = []) throws -> CommandLineRunner.Result {
        try CommandLineRunner.run(["analyze", model, "--prompts", prompts.path, "--out", out.path, "--quiet"] + extra)
    }

    static func file(_ folder: URL, _ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    @Test("three shards merged equal a single run; overlapping, missing or foreign shards are refused")
    func shardsMergeIntoTheSingleRun() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.prompts(12, in: folder)
        let single = folder.appendingPathComponent("single")
        #expect(try Self.analyze(prompts, single).status == 0)
        let shards = (1...3).map { folder.appendingPathComponent("shard-\($0)") }
        for (k, shard) in shards.enumerated() {
            let result = try Self.analyze(prompts, shard, ["--no-figures", "--shard", "\(k + 1)/3"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        // prompts 2, 5, 8, 11
        #expect(try Self.file(shards[1], "samples.jsonl").split(separator: UInt8(ascii: "\n")).count == 4)

        let merged = folder.appendingPathComponent("merged")
        let result = try CommandLineRunner.run(["merge", merged.path] + shards.map(\.path))
        #expect(result.status == 0, "\(result.stderr)")
        // Sample by sample: the same lines, byte for byte, and the same maps
        // (sample 0's, for the figures, kept by shard 1 although it drew none).
        #expect(try Self.file(merged, "samples.jsonl") == Self.file(single, "samples.jsonl"))
        let maps = try FileManager.default.contentsOfDirectory(atPath: single.appendingPathComponent("attention").path)
            .sorted()
        #expect(maps == ["sample-000-layer-00.npy", "sample-000-layer-01.npy", "sample-000-layer-02.npy"])
        for map in maps {
            #expect(try Self.file(merged, "attention/" + map) == Self.file(single, "attention/" + map), "\(map)")
        }
        // The summary: the same shape and statistics within 1e-12.
        let one = try MetricsDocument.read(from: single.appendingPathComponent("metrics.json"))
        let joined = try MetricsDocument.read(from: merged.appendingPathComponent("metrics.json"))
        #expect(joined.run == one.run && joined.summary.samples == 12)
        let pairs =
            [(one.summary.sinkRate, joined.summary.sinkRate)]
            + zip(
                one.summary.layers + one.summary.hiddenStates + one.summary.heads.flatMap { $0 },
                joined.summary.layers + joined.summary.hiddenStates + joined.summary.heads.flatMap { $0 }
            ).flatMap { a, b in a.names.map { (a[$0], b[$0]) } }
        #expect(pairs.count == 1 + 3 * 15 + 4 * 4 + 3 * 4 * 9)
        for (a, b) in pairs {
            #expect(a.count == b.count)
            #expect(abs((a.mean ?? 0) - (b.mean ?? 0)) <= 1e-12 && abs((a.sd ?? 0) - (b.sd ?? 0)) <= 1e-12)
        }
        let figures = try FileManager.default.contentsOfDirectory(atPath: single.appendingPathComponent("figures").path)
            .sorted()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: merged.appendingPathComponent("figures").path).sorted()
                == figures)
        // The report too, with the maps shard 1 kept; a shard run with --no-figures writes none.
        let report = try String(contentsOf: merged.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.components(separatedBy: "\"factor\":1,\"layer\":").count - 1 == maps.count)
        #expect(!FileManager.default.fileExists(atPath: shards[0].appendingPathComponent("report.html").path))

        // A shard given twice, a shard missing, a shard of another run.
        let foreign = folder.appendingPathComponent("foreign")
        #expect(try Self.analyze(prompts, foreign, ["--no-figures", "--shard", "3/3", "--epsilon", "0.5"]).status == 0)
        for (shardList, message) in [
            ([shards[0], shards[1], shards[0]], "overlaps"),
            ([shards[0], shards[1]], "shard 3/3 missing"),
            ([shards[0], shards[1], foreign], "settings.sink_epsilon: 0.3 there, 0.5 here"),
        ] {
            let refused = try CommandLineRunner.run(
                ["merge", folder.appendingPathComponent("bad").path] + shardList.map(\.path))
            #expect(refused.status == 65 && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
        // Resuming into a shard's folder with other settings is refused in one line.
        let mixed = try Self.analyze(prompts, shards[0], ["--shard", "1/3", "--epsilon", "0.5"])
        #expect(
            mixed.status == 65 && mixed.stderr.contains("settings.sink_epsilon: 0.3 there, 0.5 here"), "\(mixed.stderr)"
        )
        #expect(FileManager.default.fileExists(atPath: shards[0].appendingPathComponent("metrics.json").path))
        // A malformed line in the middle of a shard's samples is bad input naming the file and line.
        let samples = shards[1].appendingPathComponent("samples.jsonl")
        var lines = try String(contentsOf: samples, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        lines[1] = "{\"index\": 4, \"layers\": 12}"
        try lines.joined(separator: "\n").write(to: samples, atomically: true, encoding: .utf8)
        let corrupt = try Self.analyze(prompts, shards[1], ["--shard", "2/3", "--no-figures"])
        #expect(
            corrupt.status == 65 && corrupt.stderr.contains("samples.jsonl:2: not a sample record"), "\(corrupt.stderr)"
        )
    }

    @Test("a run killed with SIGTERM resumes to the output of an uninterrupted run")
    func killedRunResumes() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.prompts(600, in: folder)
        let whole = folder.appendingPathComponent("whole")
        #expect(try Self.analyze(prompts, whole, ["--no-figures"]).status == 0)

        let killed = folder.appendingPathComponent("killed")
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = [
            "analyze", Self.model, "--prompts", prompts.path, "--out", killed.path, "--quiet", "--no-figures",
        ]
        try process.run()
        let samples = killed.appendingPathComponent("samples.jsonl")
        func lines() -> Int { ((try? Data(contentsOf: samples)) ?? Data()).count { $0 == UInt8(ascii: "\n") } }
        let deadline = Date().addingTimeInterval(30)
        while lines() < 20 && process.isRunning && Date() < deadline { usleep(2_000) }
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        let done = lines()
        #expect(done >= 20 && done < 600, "interrupted after \(done) samples")
        #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("metrics.json").path))
        // A half-written last line, as a kill mid-write would leave, is dropped on resume.
        let handle = try FileHandle(forWritingTo: samples)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"index\": \(done), \"layers\": [{\"attention_en".utf8))
        try handle.close()

        let resumed = try Self.analyze(prompts, killed, ["--no-figures"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        for name in ["metrics.json", "samples.jsonl", "run.json"] {
            #expect(try Self.file(killed, name) == Self.file(whole, name), "\(name) differs")
        }
    }

    @Test("peak memory stays flat from 200 to 2,000 prompts")
    func memoryStaysFlat() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        var peaks: [Int] = []
        for count in [200, 2000] {
            let prompts = try Self.prompts(count, spread: 1, in: folder)
            let run = try CommandLineRunner.runMeasuringMemory([
                "analyze", Self.model, "--prompts", prompts.path, "--out",
                folder.appendingPathComponent("out-\(count)").path,
                "--quiet", "--no-figures",
            ])
            #expect(run.status == 0)
            peaks.append(run.peakKilobytes)
        }
        print("peak RSS: \(peaks[0]) KB at 200 prompts, \(peaks[1]) KB at 2,000 prompts")
        let samples = try Data(contentsOf: folder.appendingPathComponent("out-2000/samples.jsonl"))
        #expect(samples.count > 4_000_000, "2,000 samples take \(samples.count) bytes of JSON")
        #expect(peaks[1] - peaks[0] < 2_048, "peak RSS \(peaks[0]) KB at 200 prompts, \(peaks[1]) KB at 2,000")
    }
}
