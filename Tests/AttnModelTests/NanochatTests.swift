import AttnCheckpoint
import AttnModel
import Foundation
import Testing
import TestSupport

/// The nanochat family against nanochat's own `gpt.py` (golden written by
/// `make_nanochat_golden.py`: random weights, non-zero lambdas and gates,
/// a 140-token prompt past the 129-key short window), and its run folders.
struct NanochatTests {
    @Test(
        "a nanochat run folder's forward pass equals nanochat's own, attention made eager",
        arguments: ["tiny-run", "compiled-run"])
    func golden(run: String) throws {
        let url = Fixtures.url("nanochat/\(run)")
        let model = try ModelRegistry.load(try ModelRegistry.open(url))
        let capture = try GoldenCapture("nanochat-tiny")
        #expect(model.description.family == "nanochat")
        let deviation = try compare(model, with: capture)
        print("golden nanochat-tiny (\(run)): \(deviation)")
        let samples = capture.header.samples.count
        #expect(deviation.blocksSeen == samples * capture.header.layers)
        #expect(deviation.hiddenSeen == samples * (capture.header.layers + 1))
        #expect(deviation.attention <= GoldenForwardTests.attentionTolerance)
        #expect(deviation.values <= GoldenForwardTests.stateTolerance)
        #expect(deviation.hidden <= GoldenForwardTests.stateTolerance)
    }

    @Test("window_pattern SSL: blocks 0 and 1 see 129 keys (nanochat's left window 128, plus the query), block 2 all")
    func windows() throws {
        let model = try ModelRegistry.load(try ModelRegistry.open(Fixtures.url("nanochat/tiny-run")))
        let d = model.description
        #expect(d.slidingWindow == 129 && d.slidingBlocks == 2)
        #expect(d.heads == 2 && d.kvHeads == 1 && d.headDim == 32 && d.vocabularySize == 100 && d.maxPositions == 256)
    }

    @Test("the short windows are computed: window_pattern L moves the 140-token sample's maps away from nanochat's")
    func windowsMatter() throws {
        let folder = try TempFolder()
        let source = Fixtures.url("nanochat/tiny-run")
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("model_000100.pt"),
            to: folder.url.appendingPathComponent("model_000100.pt"))
        var meta = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("meta_000100.json")))
                as? [String: Any])
        var config = try #require(meta["model_config"] as? [String: Any])
        config["window_pattern"] = "L"
        meta["model_config"] = config
        try JSONSerialization.data(withJSONObject: meta).write(
            to: folder.url.appendingPathComponent("meta_000100.json"))
        let unwindowed = try compare(
            try ModelRegistry.load(ModelRegistry.open(folder.url)), with: try GoldenCapture("nanochat-tiny"))
        print("golden nanochat-tiny with window_pattern L: \(unwindowed)")
        #expect(unwindowed.attention > 100 * GoldenForwardTests.attentionTolerance)
    }

    @Test("a run folder opens as its last step's model file, with the meta beside it")
    func lastStep() throws {
        let folder = try TempFolder()
        let source = Fixtures.url("nanochat/tiny-run")
        for step in ["000050", "000100"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent("model_000100.pt"),
                to: folder.url.appendingPathComponent("model_\(step).pt"))
        }
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("meta_000100.json"),
            to: folder.url.appendingPathComponent("meta_000050.json"))
        // model_000100.pt has no meta: step 50 is the last complete one.
        #expect(try ModelRegistry.open(folder.url).url.lastPathComponent == "model_000050.pt")
        let alone = folder.url.appendingPathComponent("model_000100.pt")
        let error = #expect(throws: CheckpointError.self) { try ModelRegistry.open(alone) }
        #expect(error?.message.contains("missing meta_000100.json") == true)
    }

    @Test(
        "a tokenizer.json beside the model (converted by nanochat_tokenizer.py) is the run's tokenizer; tokenizer.pkl is never read"
    )
    func convertedTokenizer() throws {
        let folder = try TempFolder()
        let source = Fixtures.url("nanochat/tiny-run")
        for name in ["model_000100.pt", "meta_000100.json"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
        }
        try Data("not a pickle attnscope would read".utf8).write(to: folder.url.appendingPathComponent("tokenizer.pkl"))
        #expect(try ModelRegistry.open(folder.url).tokenizerURL == nil)
        let tokenizer = folder.url.appendingPathComponent("tokenizer.json")
        try FileManager.default.copyItem(at: Fixtures.url("tokenizers/nanochat-tiny/tokenizer.json"), to: tokenizer)
        #expect(try ModelRegistry.open(folder.url).tokenizerURL?.lastPathComponent == "tokenizer.json")
        #expect(
            try ModelRegistry.open(folder.url.appendingPathComponent("model_000100.pt")).tokenizerURL?.lastPathComponent
                == "tokenizer.json")
    }

    @Test("a model_config key nanochat's loader would not know is refused by name")
    func unknownConfigKey() throws {
        let folder = try TempFolder()
        let source = Fixtures.url("nanochat/tiny-run")
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("model_000100.pt"),
            to: folder.url.appendingPathComponent("model_000100.pt"))
        var meta = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("meta_000100.json")))
                as? [String: Any])
        var config = try #require(meta["model_config"] as? [String: Any])
        config["n_value_heads"] = 3
        meta["model_config"] = config
        try JSONSerialization.data(withJSONObject: meta).write(
            to: folder.url.appendingPathComponent("meta_000100.json"))
        let error = #expect(throws: ModelError.self) { try ModelRegistry.load(try ModelRegistry.open(folder.url)) }
        #expect(error?.description.contains("'n_value_heads'") == true, "\(String(describing: error))")
    }
}
