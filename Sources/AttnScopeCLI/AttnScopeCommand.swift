import ArgumentParser

/// The `attnscope` command: see how attention behaves inside a trained transformer.
@main
struct AttnScopeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attnscope",
        abstract: "Capture and measure attention sinks, concentration and value drains in transformer checkpoints.",
        discussion: """
        Checkpoints: a Hugging Face folder (config.json, model.safetensors, tokenizer.json) or a llama.cpp \
        .gguf file. Families: llama (with the ResFormer/SVFormer/NeuTRENO/DenseFormer/CLA variants), gpt2, bert.

        Exit codes: 0 success, 64 usage error (bad flag or value), 65 bad input (missing or malformed \
        file, prompt too long, unsupported checkpoint), 70 internal error.
        """,
        version: "0.1.0",
        subcommands: [Analyze.self, Compare.self, Render.self, Inspect.self],
        defaultSubcommand: Analyze.self
    )
}
