import AttnAnalysis
import AttnCheckpoint
import AttnModel
import AttnScope
import Foundation
import TestSupport

/// The checkpoint targets: GGUF files, safetensors files, PyTorch archives and config.json.
enum FuzzCheckpoint {
    static func gguf(_ data: Data) {
        let url = FuzzScratch.write("input.gguf", data)
        guard let checkpoint = try? ModelRegistry.open(url) else { return }
        exercise(checkpoint)
    }

    static func safetensors(_ data: Data) {
        let folder = FuzzScratch.emptyFolder("safetensors")
        try? FileManager.default.copyItem(
            at: Fixtures.url("models/llama-tiny/config.json"), to: folder.appendingPathComponent("config.json"))
        FuzzScratch.write("safetensors/model.safetensors", data)
        guard let checkpoint = try? ModelRegistry.open(folder) else { return }
        exercise(checkpoint)
    }

    static func pytorch(_ data: Data) {
        let folder = FuzzScratch.emptyFolder("pytorch")
        try? FileManager.default.copyItem(
            at: Fixtures.url("pytorch/micro-llama/config.json"), to: folder.appendingPathComponent("config.json"))
        FuzzScratch.write("pytorch/pytorch_model.bin", data)
        guard let checkpoint = try? ModelRegistry.open(folder) else { return }
        exercise(checkpoint)
    }

    /// The fixtures whose weights a fuzzed config.json is paired with.
    static let fixtures = [
        "llama-tiny", "gpt2-tiny", "bert-tiny", "resformer-learnable", "denseformer", "svformer", "cla", "neutreno",
        "qwen2-tiny", "mistral-tiny", "qwen3-tiny", "phi3-tiny", "llama3-rope-tiny", "gemma3-tiny", "gemma3-mm-tiny",
    ]

    static func config(_ data: Data) {
        guard let first = data.first else { return }
        let fixture = fixtures[Int(first) % fixtures.count]
        let folder = FuzzScratch.emptyFolder("config")
        try? FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("model.safetensors"),
            withDestinationURL: Fixtures.url("models/\(fixture)/model.safetensors"))
        FuzzScratch.write("config/config.json", data.dropFirst())
        guard let checkpoint = try? ModelRegistry.open(folder) else { return }
        exercise(checkpoint)
    }

    /// Decodes every tensor, builds the model and the tokenizer, and runs
    /// three tokens through the probe and the analysis.
    static func exercise(_ checkpoint: Checkpoint) {
        for name in checkpoint.tensorNames { _ = try? checkpoint.floats(name) }
        if let tokenizer = try? LoadedModel.tokenizer(for: checkpoint) {
            for id in (try? tokenizer.encode("Hello, world! 123 ünïcode\n  tabs\t")) ?? [] { _ = tokenizer.label(id) }
        }
        guard let model = try? ModelRegistry.load(checkpoint) else { return }
        let vocabulary = model.description.vocabularySize
        let ids = [0, 1, 2].map { $0 % max(vocabulary, 1) }
        var observer = AnalyzingObserver(analyzer: SampleAnalyzer(), tokenIDs: ids)
        guard (try? model.run(tokens: ids, observer: &observer)) != nil else { return }
        _ = try? observer.analyzer.finish(tokenIDs: ids, tokens: ids.map(String.init), text: nil)
        if let loaded = try? LoadedModel(url: checkpoint.url) { _ = CheckpointInspection(loaded).lines }
    }
}
