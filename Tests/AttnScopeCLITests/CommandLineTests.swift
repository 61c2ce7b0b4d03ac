import AttnAnalysis
import AttnRender
import AttnScope
import Foundation
import Testing
import TestSupport

/// The `attnscope` executable end to end, on the committed tiny checkpoints.
@Suite("attnscope command line", .serialized)
struct CommandLineTests {
    /// The golden samples' token ids of a tiny model, as a JSONL prompt file.
    static func goldenPrompts(_ model: String, in folder: URL) throws -> URL {
        struct Golden: Decodable { var samples: [Sample]; struct Sample: Decodable { var token_ids: [Int] } }
        let data = try Data(contentsOf: Fixtures.url("golden/\(model).metrics.json"))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        let lines = golden.samples.map { "{\"token_ids\": \($0.token_ids), \"note\": \"golden\"}" }
        let url = folder.appendingPathComponent("prompts.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A copy of the tiny GPT-2 with the tiny byte-level BPE tokenizer beside it, so text prompts work.
    static func gpt2WithTokenizer(in folder: URL) throws -> URL {
        let checkpoint = folder.appendingPathComponent("gpt2-tiny", isDirectory: true)
        try FileManager.default.copyItem(at: Fixtures.url("models/gpt2-tiny"), to: checkpoint)
        try FileManager.default.copyItem(
            at: Fixtures.url("tokenizers/bpe-tiny/tokenizer.json"),
            to: checkpoint.appendingPathComponent("tokenizer.json"))
        return checkpoint
    }

    /// The samples of the run whose metrics.json is at `url`, read as the library reads them.
    static func samples(_ url: URL) throws -> [SampleMetrics] {
        var samples: [SampleMetrics] = []
        try MetricsDocument.read(from: url).forEachSample(besides: url) { samples.append($0.sample) }
        return samples
    }

    @Test("analyze writes metrics.json that follows the schema and equals the numpy reference")
    func analyzeMatchesGolden() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.goldenPrompts("llama-tiny", in: folder)
        let out = folder.appendingPathComponent("out")
        let result = try CommandLineRunner.run([
            "analyze", Fixtures.url("models/llama-tiny").path, "--prompts", prompts.path, "--out", out.path,
            "--save-attention", "all", "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)

        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json")))
            as? [String: Any]
        let document = try #require(json)
        #expect(document["schema_version"] as? Int == 2)
        #expect(document["samples_file"] as? String == "samples.jsonl")
        let model = try #require(document["model"] as? [String: Any])
        for key in [
            "path", "format", "family", "variant", "layers", "heads", "kv_heads", "head_dim", "hidden_size",
            "parameters", "kv_cache_bytes_per_token",
        ] {
            #expect(model[key] != nil, "model.\(key)")
        }
        #expect(model["layers"] as? Int == 3 && model["heads"] as? Int == 4 && model["kv_heads"] as? Int == 2)
        let settings = try #require(document["settings"] as? [String: Any])
        #expect(settings["sink_epsilon"] as? Double == 0.3 && settings["add_bos"] as? String == "auto")
        let lines = try String(contentsOf: out.appendingPathComponent("samples.jsonl"), encoding: .utf8).split(
            separator: "\n")
        let samples = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(samples.map { $0["index"] as? Int } == [0, 1])
        for sample in samples {
            let t = (sample["token_ids"] as? [Int])?.count ?? 0
            #expect((sample["tokens"] as? [String])?.count == t)
            let layers = try #require(sample["layers"] as? [[String: Any]])
            #expect(layers.count == 3)
            for layer in layers {
                for key in [
                    "attention_entropy", "layer_sink_rate", "first_token_importance", "top_k_share", "value_norm",
                    "value_drain_ratio", "heads",
                ] {
                    #expect(layer.keys.contains(key), "layers[].\(key)")
                }
                #expect((layer["heads"] as? [Any])?.count == 4)
                #expect((layer["value_norm"] as? [Any])?.count == t)
                #expect(Set((layer["top_k_share"] as? [String: Any])?.keys.map { $0 } ?? []) == ["1", "5", "10"])
            }
            let hidden = try #require(sample["hidden_states"] as? [[String: Any]])
            #expect(hidden.count == 4)
            for state in hidden {
                for key in [
                    "hidden_norm", "first_token_hidden_ratio", "peak_hidden_ratio", "peak_token", "token_similarity",
                    "massive_activations",
                ] {
                    #expect(state.keys.contains(key), "hidden_states[].\(key)")
                }
            }
        }
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["samples"] as? Int == 2)

        // Every per-layer number equals the numpy reference on HF's captures.
        let written = try Self.samples(out.appendingPathComponent("metrics.json"))
        struct Reference: Decodable { var samples: [ReferenceSample] }
        struct ReferenceSample: Decodable {
            var sink_rate: Double
            var layers: [ReferenceLayer]
        }
        struct ReferenceLayer: Decodable {
            var attention_entropy: Double
            var first_token_importance: Double
            var layer_sink_rate: Double
            var value_drain_ratio: Double?
        }
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: Fixtures.url("golden/llama-tiny.metrics.json")))
        func close(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return abs(a - b) <= 1e-4 * max(1, abs(b))
        }
        for (mine, theirs) in zip(written, reference.samples) {
            #expect(close(mine.sinkRate, theirs.sink_rate))
            for (a, b) in zip(mine.layers, theirs.layers) {
                #expect(close(a.attentionEntropy, b.attention_entropy))
                #expect(close(a.firstTokenImportance, b.first_token_importance))
                #expect(close(a.layerSinkRate, b.layer_sink_rate))
                #expect(close(a.valueDrainRatio, b.value_drain_ratio))
            }
        }
        // --save-attention all: one [H, T, T] map per sample and block.
        let (values, shape) = try NPYFile.read(from: out.appendingPathComponent("attention/sample-001-layer-02.npy"))
        #expect(shape == [4, 7, 7])
        #expect(abs(values[0..<7].reduce(0, +) - 1) < 1e-5)
    }

    @Test("analyze a Mistral checkpoint: the metrics count only the keys its window leaves visible")
    func analyzeSlidingWindow() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.goldenPrompts("mistral-tiny", in: folder)
        let out = folder.appendingPathComponent("out")
        let result = try CommandLineRunner.run([
            "analyze", Fixtures.url("models/mistral-tiny").path, "--prompts", prompts.path, "--out", out.path,
            "--no-figures", "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        struct Reference: Decodable { var samples: [SampleMetrics] }
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: Fixtures.url("golden/mistral-tiny.metrics.json")))
        let written = try Self.samples(out.appendingPathComponent("metrics.json"))
        #expect(written.count == reference.samples.count)
        for (mine, theirs) in zip(written, reference.samples) {
            for (a, b) in zip(mine.layers, theirs.layers) {
                #expect(
                    abs(a.firstTokenImportance - b.firstTokenImportance) <= 1e-4 * max(1, abs(b.firstTokenImportance)))
                for (x, y) in zip(a.heads, b.heads) {
                    #expect(abs((x.normalizedHeadEntropy ?? .nan) - (y.normalizedHeadEntropy ?? .nan)) <= 1e-4)
                }
            }
        }
    }

    @Test("render reproduces analyze's PNGs byte for byte from metrics.json")
    func renderReproducesFigures() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try Self.gpt2WithTokenizer(in: folder)
        let out = folder.appendingPathComponent("run")
        let analyzed = try CommandLineRunner.run([
            "analyze", checkpoint.path, "--prompt", "Now is the winter of our discontent", "--prompt",
            "Made glorious summer",
            "--out", out.path, "--quiet",
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let figures = out.appendingPathComponent("figures")
        let names = try FileManager.default.contentsOfDirectory(atPath: figures.path).filter { $0.hasSuffix(".png") }
            .sorted()
        #expect(names.contains("sink-atlas.png") && names.contains("entropy-by-layer.png"))
        for name in [
            "value-weighted-atlas", "sink-vs-value-weighted-atlas", "head-role-atlas", "value-weighted-share-by-layer",
            "head-output-norm-by-layer", "previous-token-score-by-layer", "duplicate-token-score-by-layer",
            "induction-score-by-layer",
        ] {
            #expect(names.contains(name + ".png"), "\(name).png is missing")
        }
        #expect(
            !names.contains("sink-mass-by-layer.png"),
            "GPT-2 has no learned sinks: its sink mass is rounding, not charted")
        #expect(
            names.contains("attention-sample-000-layer-00.png")
                && names.contains("attention-sample-000-layer-02-heads.png"))
        let again = folder.appendingPathComponent("again")
        let rendered = try CommandLineRunner.run([
            "render", out.appendingPathComponent("metrics.json").path, "--out", again.path,
        ])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        for name in names {
            let first = try Data(contentsOf: figures.appendingPathComponent(name))
            let second = try Data(contentsOf: again.appendingPathComponent(name))
            #expect(first == second, "\(name) differs")
        }
        // Text prompts were tokenized: the labels are the tokenizer's, not ids.
        let samples = try Self.samples(out.appendingPathComponent("metrics.json"))
        #expect(samples[0].text == "Now is the winter of our discontent")
        #expect(!samples[0].tokens.contains { $0.hasPrefix("#") })
    }

    @Test("compare of two checkpoints writes one line per checkpoint")
    func compareTwo() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.goldenPrompts("llama-tiny", in: folder)
        let out = folder.appendingPathComponent("cmp")
        let result = try CommandLineRunner.run([
            "compare", Fixtures.url("models/llama-tiny").path, Fixtures.url("models/llama-tiny").path,
            "--variant", "transformer", "--variant", "resformer", "--prompts", prompts.path, "--out", out.path,
            "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let comparison =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("comparison.json")))
            as? [String: Any]
        let runs = try #require(comparison?["runs"] as? [[String: Any]])
        #expect(runs.map { ($0["model"] as? [String: Any])?["variant"] as? String } == ["transformer", "resformer"])
        let chart = try PNGFile.read(from: out.appendingPathComponent("figures/entropy-by-layer.png"))
        var colors = Set<RGBA>()
        for y in 0..<chart.height {
            for x in 0..<chart.width { if let c = chart.pixel(x: x, y: y) { colors.insert(c) } }
        }
        #expect(
            colors.contains(Palette.color(0)) && colors.contains(Palette.color(1)), "one line colour per checkpoint")
        #expect(!colors.contains(Palette.color(2)))
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("figures/sink-atlas-side-by-side.png").path))
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("figures/value-weighted-atlas-side-by-side.png").path))
    }

    @Test(
        "bad inputs give the documented exit code and one line on stderr",
        arguments: [
            (["analyze", "/nonexistent/model", "--prompt", "x"], Int32(65), "/nonexistent/model"),
            (["analyze", "MODEL", "--prompts", "BADJSONL"], Int32(65), "prompts.jsonl:2:"),
            (
                ["analyze", "MODEL", "--variant", "mamba", "--prompt", "x"], Int32(64),
                "'mamba' is invalid for '--variant"
            ),
            (
                ["analyze", "MODEL", "--save-attention", "5-2", "--prompt", "x"], Int32(64),
                "'5-2' is invalid for '--save-attention"
            ),
            (
                ["analyze", "MODEL", "--save-attention", "1,0-100000000", "--prompt", "x"], Int32(64),
                "no block 3-100000000"
            ),
            (
                ["analyze", "MODEL", "--save-attention", "2-9223372036854775807", "--prompt", "x"], Int32(64),
                "no block 3-9223372036854775807"
            ),
            (["analyze", "MODEL", "--shard", "4/3", "--prompt", "x"], Int32(64), "'4/3' is invalid for '--shard"),
            (["analyze", "MODEL", "--out", "", "--prompt", "x"], Int32(64), "'' is invalid for '--out"),
            (["analyze", "MODEL", "--bos", "maybe", "--prompt", "x"], Int32(64), "'maybe' is invalid for '--bos"),
            (["analyze", "MODEL", "--prompts", "LONG"], Int32(65), "more than the model's context of 128"),
            (["inspect", "MODEL", "--variant", "svformer"], Int32(65), "have their own v_proj"),
            (["render", "/nonexistent/metrics.json"], Int32(65), "/nonexistent/metrics.json"),
        ]
    )
    func badInputs(arguments: [String], status: Int32, message: String) throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let bad = folder.appendingPathComponent("prompts.jsonl")
        try "{\"text\": \"fine\"}\n{\"text\": 3}\n".write(to: bad, atomically: true, encoding: .utf8)
        let long = folder.appendingPathComponent("long.jsonl")
        try "{\"token_ids\": \(Array(repeating: 7, count: 200))}\n".write(to: long, atomically: true, encoding: .utf8)
        let resolved = arguments.map { argument in
            switch argument {
            case "MODEL": Fixtures.url("models/llama-tiny").path
            case "BADJSONL": bad.path
            case "LONG": long.path
            default: argument
            }
        }
        let result = try CommandLineRunner.run(
            resolved + ["--out", folder.appendingPathComponent("o").path].filter { _ in resolved[0] == "analyze" })
        #expect(result.status == status, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("inspect reports shapes, storage and the KV cache")
    func inspect() throws {
        let result = try CommandLineRunner.run(["inspect", Fixtures.url("models/svformer").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("variant      svformer"))
        #expect(result.stdout.contains("4 blocks, 4 heads, 2 kv heads, head size 16"))
        // (4 key blocks + 1 value block) · 2 kv heads · 16 · 2 bytes.
        #expect(result.stdout.contains("320 bytes per token"))
        #expect(!result.stdout.contains("window"))
    }

    @Test("inspect and metrics.json report the sliding window and the blocks that slide")
    func inspectWindow() throws {
        let result = try CommandLineRunner.run(["inspect", Fixtures.url("models/qwen2-tiny").path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("\"sliding_window\" : 5") && result.stdout.contains("\"sliding_blocks\" : 2"),
            "\(result.stdout)")
        let text = try CommandLineRunner.run(["inspect", Fixtures.url("models/qwen2-tiny").path])
        #expect(text.stdout.contains("window       2 of 3 blocks slide over 5 tokens"), "\(text.stdout)")
    }
}
