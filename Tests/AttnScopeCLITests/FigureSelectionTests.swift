import AttnRender
import Foundation
import Testing
import TestSupport

/// The figure flags and what the figures and documents say about a model's blocks, end to end:
/// `--map-*`, global and local blocks, masked cells, counterfactual variants.
@Suite("figures on demand", .serialized)
struct FigureSelectionTests {
    /// The `model` object of the JSON document at `url`.
    static func model(_ url: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(object?["model"] as? [String: Any])
    }

    /// The PNG and SVG names in `folder`.
    static func names(_ folder: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
    }

    @Test(
        "--map-sample/--map-blocks/--map-heads draw those heads' maps, labelled with the tokens, in analyze and render")
    func mapsOnDemand() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try CommandLineTests.gpt2WithTokenizer(in: folder)
        let out = folder.appendingPathComponent("run")
        let analyzed = try CommandLineRunner.run([
            "analyze", checkpoint.path, "--prompt", "Now is the winter", "--prompt", "Made glorious summer by this sun",
            "--map-sample", "1", "--map-blocks", "0,2", "--map-heads", "0,2", "--out", out.path, "--quiet",
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let figures = try Self.names(out.appendingPathComponent("figures"))
        for name in [
            "attention-sample-001-layer-00-head-00", "attention-sample-001-layer-00-head-02",
            "attention-sample-001-layer-02-head-02", "attention-sample-001-layer-02-heads-chosen",
        ] {
            #expect(figures.contains(name + ".png") && figures.contains(name + ".svg"), "\(name)")
        }
        #expect(
            !figures.contains {
                $0.hasPrefix("attention-")
                    && ($0.hasPrefix("attention-sample-000") || $0.contains("head-01") || $0.contains("layer-01"))
            })
        let svg = try String(
            contentsOf: out.appendingPathComponent("figures/attention-sample-001-layer-00-head-02.svg"), encoding: .utf8
        )
        let texts = try #require(SVGTexts.parse(svg)).texts
        let samples = try CommandLineTests.samples(out.appendingPathComponent("metrics.json"))
        let tokens = samples[1].tokens
        #expect(texts.contains("Layer 0, sample 1, head 2"))
        #expect(texts.filter { tokens.contains($0) }.count >= 2 * tokens.count, "every token on both axes: \(texts)")
        #expect(texts.contains("query") && texts.contains("key"))

        let again = folder.appendingPathComponent("again")
        let rendered = try CommandLineRunner.run([
            "render", out.appendingPathComponent("metrics.json").path, "--out", again.path, "--map-sample", "1",
            "--map-blocks", "2", "--map-heads", "2",
        ])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let redrawn = try Self.names(again)
        #expect(
            redrawn.contains("attention-sample-001-layer-02-head-02.png")
                && !redrawn.contains("attention-sample-001-layer-00-head-02.png"))
        let first = try Data(
            contentsOf: out.appendingPathComponent("figures/attention-sample-001-layer-02-head-02.png"))
        #expect(
            try Data(contentsOf: again.appendingPathComponent("attention-sample-001-layer-02-head-02.png")) == first)
    }

    @Test("A prompt longer than 48 tokens gets token positions as tick numbers on a map's axes")
    func longPromptTicks() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try CommandLineTests.gpt2WithTokenizer(in: folder)
        let out = folder.appendingPathComponent("run")
        let text = String(repeating: "Now is the winter of our discontent made glorious summer. ", count: 6)
        let analyzed = try CommandLineRunner.run([
            "analyze", checkpoint.path, "--prompt", text, "--max-tokens", "64", "--map-blocks", "1", "--map-heads", "3",
            "--out", out.path, "--quiet",
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let tokens = try CommandLineTests.samples(out.appendingPathComponent("metrics.json"))[0].tokens
        #expect(tokens.count == 64)
        let svg = try String(
            contentsOf: out.appendingPathComponent("figures/attention-sample-000-layer-01-head-03.svg"), encoding: .utf8
        )
        let texts = try #require(SVGTexts.parse(svg)).texts
        #expect(texts.contains("0") && texts.contains("63"), "\(texts)")
        #expect(!texts.contains { tokens.contains($0) && Int($0) == nil }, "no token labels on a long prompt's map")
    }

    @Test(
        "a map selection the run lacks is one usage line",
        arguments: [
            (["--map-sample", "2"], "--map-sample 2: the prompt set has 2 prompts (0-1)"),
            (["--map-blocks", "0,7"], "--map-blocks: the model has 3 blocks (0-2); no block 7"),
            (["--map-heads", "1,4-5"], "--map-heads: the model has 4 heads (0-3); no head 4-5"),
            (["--map-heads", "x"], "'x' is invalid for '--map-heads"),
        ]
    )
    func badSelections(flags: [String], message: String) throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let result = try CommandLineRunner.run(
            [
                "analyze", Fixtures.url("models/gpt2-tiny").path, "--prompts",
                try CommandLineTests.goldenPrompts("gpt2-tiny", in: folder).path,
                "--out", folder.appendingPathComponent("o").path, "--quiet",
            ] + flags)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("render refuses a map that was not saved, naming the ones that were")
    func renderMissingMap() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let out = folder.appendingPathComponent("run")
        let prompts = try CommandLineTests.goldenPrompts("gpt2-tiny", in: folder)
        #expect(
            try CommandLineRunner.run([
                "analyze", Fixtures.url("models/gpt2-tiny").path, "--prompts", prompts.path, "--out", out.path,
                "--quiet",
            ]).status == 0)
        let result = try CommandLineRunner.run([
            "render", out.appendingPathComponent("metrics.json").path, "--map-sample", "1",
        ])
        #expect(result.status == 64)
        #expect(
            result.stderr.split(separator: "\n").count == 1
                && result.stderr.contains("sample 1's maps of block 0-2 were not saved"), "\(result.stderr)")
    }

    @Test("Gemma 3's global and local blocks: inspect, metrics.json, and the maps' masked cells")
    func globalAndLocalBlocks() throws {
        let gemma = Fixtures.url("models/gemma3-tiny").path
        let json = try CommandLineRunner.run(["inspect", gemma, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let inspected = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((inspected["block_windows"] as? [Any])?.map { $0 as? Int } == [5, nil, 5, nil])
        #expect(inspected["global_blocks"] as? [Int] == [1, 3])
        let text = try CommandLineRunner.run(["inspect", gemma])
        #expect(text.stdout.contains("global blocks (no window): 1, 3; local blocks: 0, 2"), "\(text.stdout)")

        let folder = try CommandLineRunner.temporaryFolder()
        let out = folder.appendingPathComponent("run")
        let prompts = try CommandLineTests.goldenPrompts("gemma3-tiny", in: folder)
        let analyzed = try CommandLineRunner.run([
            "analyze", gemma, "--prompts", prompts.path, "--map-blocks", "0,1", "--out", out.path, "--quiet",
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        for document in ["metrics.json", "run.json"] {
            let model = try Self.model(out.appendingPathComponent(document))
            #expect((model["block_windows"] as? [Any])?.map { $0 as? Int } == [5, nil, 5, nil], "\(document)")
            #expect(model["global_blocks"] as? [Int] == [1, 3], "\(document)")
            #expect(model["counterfactual"] == nil)
        }
        // Sample 0 has 12 tokens: the window of 5 masks more cells of block 0 than the causal mask alone does in block 1.
        func maskedPixels(_ name: String) throws -> Int {
            let png = try PNGFile.read(from: out.appendingPathComponent("figures/\(name)"))
            var count = 0
            for y in 0..<png.height { for x in 0..<png.width where png.pixel(x: x, y: y) == .masked { count += 1 } }
            return count
        }
        let local = try maskedPixels("attention-sample-000-layer-00.png"),
            global = try maskedPixels("attention-sample-000-layer-01.png")
        #expect(global > 0 && local > global, "local \(local), global \(global)")
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(
            report.contains("\"masked\":\"\(String(RGBA.masked.description.dropFirst()))\""),
            "the map view's masked grey is the figures'")
        let svg = try String(
            contentsOf: out.appendingPathComponent("figures/attention-sample-000-layer-00-heads.svg"), encoding: .utf8)
        #expect(try #require(SVGTexts.parse(svg)).texts.first == "Layer 0 (window 5), sample 0: every head (log scale)")
    }

    @Test("compare's charts and side-by-side atlas mark Gemma 3's global blocks and name their metric and axes")
    func comparisonMarksGlobalBlocks() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try CommandLineTests.goldenPrompts("gemma3-tiny", in: folder)
        let out = folder.appendingPathComponent("cmp")
        let result = try CommandLineRunner.run([
            "compare", Fixtures.url("models/llama-tiny").path, Fixtures.url("models/gemma3-tiny").path,
            "--prompts", prompts.path, "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        func texts(_ name: String) throws -> [String] {
            try #require(
                SVGTexts.parse(
                    try String(contentsOf: out.appendingPathComponent("figures/\(name).svg"), encoding: .utf8))
            ).texts
        }
        let atlas = try texts("sink-atlas-side-by-side")
        #expect(atlas.contains("first-token importance") && !atlas.contains("attention weight"), "\(atlas)")
        #expect(atlas.filter { $0 == "block" }.count == 2 && atlas.filter { $0 == "head" }.count == 2)
        #expect(atlas.contains("global block (no sliding window)"))
        #expect(try texts("first-token-importance-by-layer").contains("global block of gemma3-tiny"))
        #expect(
            !(try texts("token-similarity-by-layer")).contains { $0.hasPrefix("global block") },
            "hidden states are not blocks")
    }

    @Test("Every character of every figure label has a glyph in the bitmap font")
    func everyLabelIsDrawable() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let checkpoint = try CommandLineTests.gpt2WithTokenizer(in: folder)
        let runs = [folder.appendingPathComponent("text"), folder.appendingPathComponent("gemma")]
        #expect(
            try CommandLineRunner.run([
                "analyze", checkpoint.path, "--prompt", "To be, or not to be:\tthat is\r\nthe question", "--map-heads",
                "0",
                "--out", runs[0].path, "--quiet",
            ]).status == 0)
        #expect(
            try CommandLineRunner.run([
                "analyze", Fixtures.url("models/gemma3-tiny").path, "--prompts",
                try CommandLineTests.goldenPrompts("gemma3-tiny", in: folder).path,
                "--out", runs[1].path, "--quiet",
            ]).status == 0)
        let compared = folder.appendingPathComponent("compare")
        #expect(
            try CommandLineRunner.run([
                "compare", runs[0].appendingPathComponent("metrics.json").path,
                runs[1].appendingPathComponent("metrics.json").path,
                "--out", compared.path, "--quiet",
            ]).status == 0)
        let font = BitmapFont.fixed6x13
        var checked = 0
        for figures in runs.map({ $0.appendingPathComponent("figures") }) + [compared.appendingPathComponent("figures")]
        {
            for name in try Self.names(figures) where name.hasSuffix(".svg") {
                let svg = try String(contentsOf: figures.appendingPathComponent(name), encoding: .utf8)
                for text in try #require(SVGTexts.parse(svg)).texts {
                    let missing = text.filter { !font.canDraw($0) }
                    #expect(missing.isEmpty, "\(name): '\(text)' has no glyph for '\(missing)'")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test("A variant the checkpoint was not trained as warns once and is recorded in run.json and metrics.json")
    func counterfactualVariant() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try CommandLineTests.goldenPrompts("llama-tiny", in: folder)
        let expected = "variant resformer applied to a checkpoint trained as transformer"
        let out = folder.appendingPathComponent("resformer")
        let run = try CommandLineRunner.run([
            "analyze", Fixtures.url("models/llama-tiny").path, "--variant", "resformer", "--prompts", prompts.path,
            "--out", out.path, "--quiet", "--no-figures",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(
            lines.count == 1 && lines[0].hasPrefix("attnscope: warning: ") && lines[0].contains(expected),
            "\(run.stderr)")
        for document in ["metrics.json", "run.json"] {
            #expect(
                try Self.model(out.appendingPathComponent(document))["counterfactual"] as? String == expected,
                "\(document)")
        }
        let inspected = try CommandLineRunner.run([
            "inspect", Fixtures.url("models/llama-tiny").path, "--variant", "resformer:lambda=0.5",
        ])
        #expect(
            inspected.stderr.split(separator: "\n").count == 1
                && inspected.stderr.contains(
                    "variant resformer:lambda=0.5 applied to a checkpoint trained as transformer"),
            "\(inspected.stderr)")
        // Declared in its config, detected from its weights, or the plain computation: no warning, nothing recorded.
        for (model, variant) in [
            ("neutreno-resformer", "neutreno+resformer"), ("svformer", "svformer"),
            ("resformer-learnable", "resformer:learnable"), ("llama-tiny", "transformer"),
        ] {
            let plain = folder.appendingPathComponent(model + "-" + variant)
            let result = try CommandLineRunner.run([
                "analyze", Fixtures.url("models/\(model)").path, "--variant", variant, "--prompts", prompts.path,
                "--out", plain.path, "--quiet", "--no-figures",
            ])
            #expect(result.status == 0 && result.stderr.isEmpty, "\(model) as \(variant): \(result.stderr)")
            #expect(try Self.model(plain.appendingPathComponent("metrics.json"))["counterfactual"] == nil)
        }
    }
}
