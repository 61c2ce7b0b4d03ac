import ArgumentParser
import AttnModel
import AttnScope
import Foundation

/// `attnscope inspect`: what a checkpoint holds, without running it.
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show a checkpoint's family, variant, shapes, parameters, storage types, KV-cache bytes per token and tokenizer."
    )

    @Argument(help: "An HF checkpoint folder or a .gguf file (default: the fetched SmolLM2-135M).")
    var checkpoint: String?

    @Option(name: .long, help: ArgumentHelp("The architecture variant to assume.", valueName: "variant"))
    var variant: VariantRequest = .auto

    @Flag(name: .long, help: "Print the model object of metrics.json instead of text.")
    var json = false

    func run() async throws {
        try await ExitStatus.reporting {
            let url = try checkpoint.map { URL(fileURLWithPath: $0) } ?? Defaults.requireDefaultCheckpoint()
            let loaded = try LoadedModel.opening(url, as: variant)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(loaded.info), as: UTF8.self))
            } else {
                CheckpointInspection(loaded).lines.forEach { print($0) }
            }
        }
    }
}
