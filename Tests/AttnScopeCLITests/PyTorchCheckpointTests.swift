import Foundation
import Testing
import TestSupport

/// `attnscope` on PyTorch checkpoints: a `pytorch_model.bin` folder gives the
/// run its safetensors twin gives, and a hostile archive stops it with exit 65
/// and one line, having run nothing.
@Suite("PyTorch checkpoints", .serialized)
struct PyTorchCheckpointTests {
    @Test(
        "samples.jsonl of a pytorch_model.bin folder is byte-identical to its safetensors twin's",
        arguments: [
            ("llama-tiny-bin", "llama-tiny"), ("llama-tiny-compiled", "llama-tiny"),
            ("gpt2-tiny-bin", "gpt2-tiny"), ("bert-tiny-bin", "bert-tiny"),
        ])
    func sameRunAsTwin(folder: String, twin: String) throws {
        let work = try CommandLineRunner.temporaryFolder()
        let prompts = try CommandLineTests.goldenPrompts(twin, in: work)
        var samples: [Data] = []
        for model in [Fixtures.url("models/\(twin)"), Fixtures.url("pytorch/\(folder)")] {
            let out = work.appendingPathComponent(model.lastPathComponent)
            let result = try CommandLineRunner.run([
                "analyze", model.path, "--prompts", prompts.path, "--out", out.path, "--no-figures", "--quiet",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            samples.append(try Data(contentsOf: out.appendingPathComponent("samples.jsonl")))
        }
        #expect(!samples[0].isEmpty && samples[0] == samples[1])
    }

    @Test(
        "the run digest covers the weights a folder is read from: the .bin files, or its safetensors when both are there"
    )
    func digestCoversTheWeights() throws {
        let work = try CommandLineRunner.temporaryFolder()
        let prompts = try CommandLineTests.goldenPrompts("llama-tiny", in: work)
        func digest(_ model: URL, _ name: String) throws -> String {
            let out = work.appendingPathComponent(name)
            let result = try CommandLineRunner.run([
                "analyze", model.path, "--prompts", prompts.path, "--out", out.path, "--no-figures", "--quiet",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let run =
                try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json")))
                as? [String: Any]
            return try #require(run?["checkpoint_digest"] as? String)
        }
        let both = work.appendingPathComponent("both", isDirectory: true)
        try FileManager.default.copyItem(at: Fixtures.url("models/llama-tiny"), to: both)
        let safetensors = try digest(both, "safetensors")
        try FileManager.default.copyItem(
            at: Fixtures.url("pytorch/llama-tiny-bin/pytorch_model.bin"),
            to: both.appendingPathComponent("pytorch_model.bin"))
        #expect(try digest(both, "both") == safetensors)
        let bin = try digest(Fixtures.url("pytorch/llama-tiny-bin"), "bin")
        let mixed = try digest(Fixtures.url("pytorch/llama-tiny-compiled"), "mixed")
        #expect(bin != safetensors && bin != mixed)
    }

    @Test(
        "a hostile pytorch_model.bin exits 65 with one line and runs nothing",
        arguments: [
            ("os-system", "global 'os.system' is not allowed"),
            ("builtins-eval", "global 'builtins.eval' is not allowed"),
            ("reduce-string", "REDUCE of a str"), ("storage-outside", "storage key '../../data/0'"),
            ("size-overflow", "element count overflows"), ("deep-nesting", "nested marks"),
            ("memo-huge", "memo index 4294967295"), ("zip-bomb", "deflate-compressed"),
            ("legacy", "legacy PyTorch format"),
        ])
    func hostile(name: String, mention: String) throws {
        let ran = URL(fileURLWithPath: "/tmp/attnscope-pickle-ran")
        try? FileManager.default.removeItem(at: ran)
        let folder = try CommandLineRunner.temporaryFolder()
        try FileManager.default.copyItem(
            at: Fixtures.url("models/llama-tiny/config.json"), to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(
            at: Fixtures.url("pytorch/hostile/\(name).bin"), to: folder.appendingPathComponent("pytorch_model.bin"))
        let prompts = folder.appendingPathComponent("prompts.jsonl")
        try "{\"token_ids\": [1, 2, 3]}\n".write(to: prompts, atomically: true, encoding: .utf8)
        for arguments in [
            ["inspect", folder.path],
            [
                "analyze", folder.path, "--prompts", prompts.path, "--out", folder.appendingPathComponent("run").path,
                "--quiet",
            ],
        ] {
            HostileInputTests.expectOneLine(try CommandLineRunner.run(arguments), mentioning: mention)
        }
        #expect(!FileManager.default.fileExists(atPath: ran.path))
    }
}
