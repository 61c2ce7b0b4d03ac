import Foundation
import Testing
import TestSupport

/// A run is the same run under any name, a Slurm array may have more tasks than prompts, and what a
/// run folder holds is checked before it is trusted: the round-3 reliability cases that are not about
/// where files are written.
@Suite("run identity and run-folder checks", .serialized)
struct RunIdentityTests {
    typealias Scene = HostileOutputTests.Scene

    @Test("the same GGUF through a link of another name resumes and merges as the same checkpoint")
    func digestIgnoresTheName() throws {
        let scene = try Scene()
        let gguf = Fixtures.url("gguf/qwen2-gguf-tiny.gguf")
        let link = scene.folder.appendingPathComponent("model.gguf")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: gguf)
        let args = ["--prompts", scene.prompts.path, "--quiet", "--no-figures"]
        #expect(
            try CommandLineRunner.run(["analyze", gguf.path, "--shard", "1/2", "--out", scene.path("s1")] + args).status
                == 0)
        let second = try CommandLineRunner.run(
            ["analyze", link.path, "--shard", "2/2", "--out", scene.path("s2")] + args)
        #expect(second.status == 0, "\(second.stderr)")
        let resumed = try CommandLineRunner.run(
            ["analyze", link.path, "--shard", "1/2", "--out", scene.path("s1")] + args)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let merged = try CommandLineRunner.run([
            "merge", scene.path("m"), scene.path("s1"), scene.path("s2"), "--no-figures",
        ])
        #expect(merged.status == 0, "\(merged.stderr)")
    }

    @Test("more shards than prompts: the extra shards finish empty and the merge equals one run")
    func emptyShards() throws {
        let scene = try Scene()
        let args = ["--no-figures"]
        #expect(try scene.analyze("whole", args).status == 0)
        for k in 1...4 {
            let result = try scene.analyze("s\(k)", args + ["--shard", "\(k)/4"])
            #expect(result.status == 0, "shard \(k)/4: \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: scene.path("s4/samples.jsonl"))).isEmpty)
        let merged = try CommandLineRunner.run(
            ["merge", scene.path("m")] + (1...4).map { scene.path("s\($0)") } + ["--no-figures"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let single = try Data(contentsOf: URL(fileURLWithPath: scene.path("whole/samples.jsonl")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: scene.path("m/samples.jsonl"))) == single)
        let render = try CommandLineRunner.run(["render", scene.path("s4/metrics.json")])
        HostileInputTests.expectOneLine(render, mentioning: "no samples")
    }

    @Test("a prompt file with Windows line ends reads as the same prompts")
    func crlfPrompts() throws {
        let scene = try Scene()
        let crlf = scene.folder.appendingPathComponent("crlf.jsonl")
        try "{\"token_ids\": [1, 2, 3, 4, 5]}\r\n{\"token_ids\": [9, 8, 7]}\r\n".write(
            to: crlf, atomically: true, encoding: .utf8)
        let plain = scene.folder.appendingPathComponent("plain.txt")
        try "first line\r\nsecond line\r\n".write(to: plain, atomically: true, encoding: .utf8)
        #expect(try scene.analyze("lf", ["--no-figures"]).status == 0)
        let result = try CommandLineRunner.run(
            [
                "analyze", HostileOutputTests.model, "--prompts", crlf.path, "--out", scene.path("crlf"), "--quiet",
                "--no-figures",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let lf = try Data(contentsOf: URL(fileURLWithPath: scene.path("lf/samples.jsonl")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: scene.path("crlf/samples.jsonl"))) == lf)
    }

    @Test("compare of saved runs over different prompt sets warns in one line and goes on")
    func compareWarnsOnDifferentPrompts() throws {
        let scene = try Scene()
        #expect(try scene.analyze("a", ["--no-figures"]).status == 0)
        let single = scene.folder.appendingPathComponent("one.jsonl")
        try "{\"token_ids\": [4, 4, 4]}\n".write(to: single, atomically: true, encoding: .utf8)
        let b = try CommandLineRunner.run(
            [
                "analyze", HostileOutputTests.model, "--prompts", single.path, "--out", scene.path("b"), "--quiet",
                "--no-figures",
            ])
        #expect(b.status == 0, "\(b.stderr)")
        let result = try CommandLineRunner.run(
            ["compare", scene.path("a/metrics.json"), scene.path("b/metrics.json"), "--out", scene.path("cmp")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix("attnscope: warning: ") && result.stderr.filter { $0 == "\n" }.count == 1,
            "\(result.stderr)")
        #expect(result.stderr.contains("different prompt sets"))
    }

    @Test("a finished run whose last line is torn is refused by render and merge, and repaired by analyze")
    func tornFinishedRun() throws {
        let scene = try Scene()
        #expect(try scene.analyze("out", ["--no-figures"]).status == 0)
        let samples = URL(fileURLWithPath: scene.path("out/samples.jsonl"))
        let whole = try Data(contentsOf: samples)
        try whole.dropLast(20).write(to: samples)
        HostileInputTests.expectOneLine(
            try CommandLineRunner.run(["render", scene.path("out/metrics.json")]), mentioning: "torn")
        HostileInputTests.expectOneLine(
            try CommandLineRunner.run(["merge", scene.path("m"), scene.path("out"), "--no-figures"]), mentioning: "torn"
        )
        #expect(try scene.analyze("out", ["--no-figures"]).status == 0)
        #expect(try Data(contentsOf: samples) == whole)
    }

    @Test(
        "finite but huge figures in a resumed sample or a shard summary are refused (65), never inf (70)",
        arguments: ["resume", "merge"])
    func hugeStatistics(path: String) throws {
        let scene = try Scene()
        #expect(try scene.analyze("out", ["--no-figures"]).status == 0)
        let folder = URL(fileURLWithPath: scene.path("out"))
        if path == "resume" {
            let samples = folder.appendingPathComponent("samples.jsonl")
            let text = try String(contentsOf: samples, encoding: .utf8)
            let lines = text.split(separator: "\n").enumerated().map { i, line in
                line.replacingOccurrences(
                    of: "\"sink_rate\":", with: "\"sink_rate\":\(i == 0 ? "" : "-")1e308,\"x_sink_rate\":")
            }
            try (lines.joined(separator: "\n") + "\n").write(to: samples, atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(at: folder.appendingPathComponent("metrics.json"))
            HostileInputTests.expectOneLine(try scene.analyze("out", ["--no-figures"]), mentioning: "sink_rate")
        } else {
            let metrics = folder.appendingPathComponent("metrics.json")
            let text = try String(contentsOf: metrics, encoding: .utf8)
            let huge = text.replacingOccurrences(of: "\"m2\":", with: "\"m2\":1e307,\"x\":")
            try huge.write(to: metrics, atomically: true, encoding: .utf8)
            let result = try CommandLineRunner.run(["merge", scene.path("m"), scene.path("out"), "--no-figures"])
            HostileInputTests.expectOneLine(result, mentioning: "metrics.json")
        }
    }

    @Test("a normalizer that grows the text without bound stops tokenizing with one line")
    func growingNormalizer() throws {
        let scene = try Scene()
        let model = scene.folder.appendingPathComponent("model", isDirectory: true)
        try FileManager.default.copyItem(at: Fixtures.url("models/llama-tiny"), to: model)
        let source = try Data(contentsOf: Fixtures.url("tokenizers/bpe-tiny/tokenizer.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: source) as? [String: Any])
        let double: [String: Any] = ["type": "Replace", "pattern": ["String": "a"], "content": "aa"]
        json["normalizer"] = ["type": "Sequence", "normalizers": Array(repeating: double, count: 40)]
        try JSONSerialization.data(withJSONObject: json).write(to: model.appendingPathComponent("tokenizer.json"))
        let result = try CommandLineRunner.run(
            ["analyze", model.path, "--prompt", "a", "--out", scene.path("out"), "--quiet"], timeout: 20)
        HostileInputTests.expectOneLine(result, mentioning: "normalizer")
    }
}
