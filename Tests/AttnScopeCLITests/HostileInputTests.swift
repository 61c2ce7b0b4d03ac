import Foundation
import Testing
import TestSupport

/// One tiny generated input per class of crash, hang or runaway allocation
/// found by hand and by fuzzing: each must end with exit 65 (bad input) and
/// exactly one line on stderr, quickly.
@Suite("hostile input", .serialized)
struct HostileInputTests {
    /// Checks the documented failure: `status`, one `attnscope: error:` line mentioning `mention`.
    static func expectOneLine(
        _ result: CommandLineRunner.Result, status: Int32 = 65, mentioning mention: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("attnscope: error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(mention), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    /// A copy of fixture `model` whose config.json has `key` set to `value`.
    static func model(_ model: String, setting key: String, to value: Any, in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent(model + "-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.copyItem(at: Fixtures.url("models/\(model)"), to: copy)
        let configURL = copy.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config[key] = value
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        return copy
    }

    /// (fixture, key, value) of each config-integer case.
    static let configCases: [(String, String, Int)] = [
        ("llama-tiny", "num_hidden_layers", -1), ("llama-tiny", "num_hidden_layers", 1 << 31),
        ("llama-tiny", "num_attention_heads", 1 << 62), ("llama-tiny", "num_key_value_heads", -4),
        ("llama-tiny", "head_dim", Int.max), ("llama-tiny", "max_position_embeddings", 1 << 40),
        ("llama-tiny", "vocab_size", 1 << 62), ("llama-tiny", "intermediate_size", 1 << 62),
        ("gpt2-tiny", "n_embd", 1 << 62), ("gpt2-tiny", "n_layer", -5), ("gpt2-tiny", "n_inner", Int.max),
        ("gpt2-tiny", "n_positions", 1 << 62), ("bert-tiny", "num_attention_heads", 1 << 31),
        ("bert-tiny", "hidden_size", 1 << 62), ("bert-tiny", "intermediate_size", -1),
    ]

    @Test("config integers that are negative, 2³¹, 2⁶² or Int.max", arguments: configCases)
    func configIntegers(model: String, key: String, value: Int) throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try Self.model(model, setting: key, to: value, in: folder)
        Self.expectOneLine(try CommandLineRunner.run(["inspect", checkpoint.path]), mentioning: key)
    }

    @Test(
        "a newline inside a config string is printed escaped, on one line",
        arguments: [
            ("model_type", "llama\nsecond line"), ("hidden_act", "silu\nx"), ("attnscope_variant", "resformer\nx"),
        ])
    func newlineInConfigString(key: String, value: String) throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try Self.model("llama-tiny", setting: key, to: value, in: folder)
        Self.expectOneLine(try CommandLineRunner.run(["inspect", checkpoint.path]), mentioning: "\\n")
    }

    @Test("a config that makes one block's maps larger than memory is refused before allocating")
    func mapsLargerThanMemory() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try Self.model("llama-tiny", setting: "max_position_embeddings", to: 1 << 24, in: folder)
        let prompts = folder.appendingPathComponent("long.jsonl")
        let ids = [String](repeating: "0", count: 1 << 20).joined(separator: ",")
        try "{\"token_ids\": [\(ids)]}\n".write(to: prompts, atomically: true, encoding: .utf8)
        let result = try CommandLineRunner.run([
            "analyze", checkpoint.path, "--prompts", prompts.path, "--out", folder.appendingPathComponent("out").path,
            "--quiet",
        ])
        Self.expectOneLine(result, mentioning: "GiB for one block's attention maps")
    }

    /// A GGUF file with llama metadata (overridable) and one token embedding.
    static func gguf(
        _ edit: (inout GGUFBuilder) -> Void = { _ in }, metadata: [String: UInt32] = [:],
        epsilon: Float = 1e-5, ropeBase: Float = 10000
    ) -> [UInt8] {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        let values: [String: UInt32] = [
            "llama.embedding_length": 32, "llama.feed_forward_length": 64, "llama.block_count": 1,
            "llama.attention.head_count": 2, "llama.context_length": 64,
        ].merging(metadata) { $1 }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { b.add(key, u32: value) }
        b.add("llama.attention.layer_norm_rms_epsilon", f32: epsilon)
        b.add("llama.rope.freq_base", f32: ropeBase)
        edit(&b)
        b.addTensor("token_embd.weight", dims: [32, 8], type: 0, bytes: [UInt8](repeating: 0, count: 32 * 8 * 4))
        return b.bytes
    }

    @Test(
        "GGUF sizes, offsets and hyperparameters near 2⁶³, NaN and Inf",
        arguments: [
            ("dims", "overflow"), ("zeroDims", "hostile.gguf"), ("offset", "runs past the end"),
            ("blocks", "llama.block_count"),
            ("keyLength", "llama.attention.key_length"), ("nanRope", "llama.rope.freq_base"),
            ("infEpsilon", "llama.attention.layer_norm_rms_epsilon"), ("heads", "llama.attention.head_count"),
        ])
    func ggufNumbers(kind: String, mention: String) throws {
        let folder = TempFolderURL()
        let bytes: [UInt8] =
            switch kind {
            case "dims": Self.gguf { $0.addTensor("big.weight", dims: [2, 1 << 62, 1 << 62], type: 0, bytes: []) }
            case "zeroDims":
                Self.gguf { $0.addTensor("empty.weight", dims: [0, 1 << 62, 1 << 62], type: 0, bytes: []) }
            case "offset":
                Self.gguf { $0.addTensor("far.weight", dims: [8], type: 0, bytes: [], offset: UInt64(Int.max) - 31) }
            case "blocks": Self.gguf(metadata: ["llama.block_count": 1 << 31])
            case "keyLength": Self.gguf { $0.add("llama.attention.key_length", u64: 1 << 62) }
            case "nanRope": Self.gguf(ropeBase: .nan)
            case "infEpsilon": Self.gguf(epsilon: .infinity)
            default: Self.gguf(metadata: ["llama.attention.head_count": 0])
            }
        let url = folder.appendingPathComponent("hostile.gguf")
        try Data(bytes).write(to: url)
        Self.expectOneLine(try CommandLineRunner.run(["inspect", url.path]), mentioning: mention)
    }

    @Test("a FIFO given as a checkpoint or as model.safetensors is refused at once")
    func fifo() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let pipe = folder.appendingPathComponent("model.gguf")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        Self.expectOneLine(try CommandLineRunner.run(["inspect", pipe.path], timeout: 30), mentioning: "FIFO")

        let checkpoint = folder.appendingPathComponent("fifo-model", isDirectory: true)
        try FileManager.default.createDirectory(at: checkpoint, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixtures.url("models/llama-tiny/config.json"), to: checkpoint.appendingPathComponent("config.json"))
        #expect(mkfifo(checkpoint.appendingPathComponent("model.safetensors").path, 0o600) == 0)
        Self.expectOneLine(try CommandLineRunner.run(["inspect", checkpoint.path], timeout: 30), mentioning: "FIFO")
    }

    @Test(
        "render given counts that are huge, negative or inconsistent",
        arguments: [
            "layers-huge", "layers-negative", "heads-huge", "tokens-mismatch", "npy-shape", "npy-overflow",
        ])
    func renderCounts(kind: String) throws {
        let (folder, metrics) = try Self.analyzedRun()
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: metrics)) as? [String: Any])
        var model = try #require(document["model"] as? [String: Any])
        let samplesURL = folder.appendingPathComponent("samples.jsonl")
        var mention = "metrics.json"
        switch kind {
        case "layers-huge": model["layers"] = 1_000_000
        case "layers-negative": model["layers"] = -3
        case "heads-huge": model["heads"] = 1 << 62
        case "tokens-mismatch":
            let line = try #require(try String(contentsOf: samplesURL, encoding: .utf8).split(separator: "\n").first)
            var sample = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            sample["tokens"] = ["a"]
            try (String(decoding: try JSONSerialization.data(withJSONObject: sample), as: UTF8.self) + "\n")
                .write(to: samplesURL, atomically: true, encoding: .utf8)
            mention = "samples.jsonl"
        default:
            let shape = kind == "npy-shape" ? "(2, 'x', 2)" : "(4611686018427387904, 4611686018427387904, 4)"
            let header =
                "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }".padding(
                    toLength: 118, withPad: " ", startingAt: 0) + "\n"
            var npy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            npy += [UInt8](repeating: 0, count: 64)
            try Data(npy).write(to: folder.appendingPathComponent("attention/sample-000-layer-00.npy"))
            mention = "sample-000-layer-00.npy"
        }
        document["model"] = model
        try JSONSerialization.data(withJSONObject: document).write(to: metrics)
        Self.expectOneLine(try CommandLineRunner.run(["render", metrics.path]), mentioning: mention)
    }

    @Test("render with a 1 MB model path draws a legend of bounded width")
    func renderHugeLabel() throws {
        let (_, metrics) = try Self.analyzedRun()
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: metrics)) as? [String: Any])
        var model = try #require(document["model"] as? [String: Any])
        model["path"] = String(repeating: "m", count: 1 << 20)
        document["model"] = model
        try JSONSerialization.data(withJSONObject: document).write(to: metrics)
        let result = try CommandLineRunner.run(["render", metrics.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("compare labels cannot name a folder outside --out")
    func compareLabelsStayInside() throws {
        let (folder, metrics) = try Self.analyzedRun()
        let out = folder.appendingPathComponent("nested/compare")
        let result = try CommandLineRunner.run([
            "compare", Fixtures.url("models/llama-tiny").path, metrics.path, "--labels", "..,b",
            "--prompt", "hello", "--out", out.path, "--quiet",
        ])
        #expect(result.status == 65 || result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("nested/metrics.json").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("nested/figures").path))
    }

    @Test("a 300,000-letter word without a space tokenizes in linear time and is refused for its length")
    func longWord() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try CommandLineTests.gpt2WithTokenizer(in: folder)
        let prompts = folder.appendingPathComponent("word.txt")
        try (String(repeating: "ab", count: 150_000) + "\n").write(to: prompts, atomically: true, encoding: .utf8)
        let result = try CommandLineRunner.run(
            [
                "analyze", checkpoint.path, "--prompts", prompts.path, "--out",
                folder.appendingPathComponent("out").path, "--quiet",
            ],
            timeout: 60)
        Self.expectOneLine(result, mentioning: "more than the model's context")
    }

    @Test("merge given a shard of a 10¹²-way split answers at once")
    func mergeHugeShardCount() throws {
        let (shard, _) = try Self.analyzedRun(["--shard", "1/1000000000000"])
        let merged = try CommandLineRunner.run(
            ["merge", shard.deletingLastPathComponent().appendingPathComponent("merged").path, shard.path], timeout: 30)
        Self.expectOneLine(merged, mentioning: "missing: the shards cover 1 of 1000000000000")
    }

    /// A finished analyze run of the tiny Llama (its golden prompts, layer 0 maps saved, `extra` options):
    /// its folder and metrics.json.
    static func analyzedRun(_ extra: [String] = []) throws -> (URL, URL) {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try CommandLineTests.goldenPrompts("llama-tiny", in: folder)
        let out = folder.appendingPathComponent("run")
        let result = try CommandLineRunner.run(
            [
                "analyze", Fixtures.url("models/llama-tiny").path, "--prompts", prompts.path, "--out", out.path,
                "--save-attention", "0", "--no-figures", "--quiet",
            ] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return (out, out.appendingPathComponent("metrics.json"))
    }
}

/// A fresh temporary folder for one test's files.
private func TempFolderURL() -> URL {
    (try? CommandLineRunner.temporaryFolder()) ?? FileManager.default.temporaryDirectory
}
