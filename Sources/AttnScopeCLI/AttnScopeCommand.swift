import ArgumentParser

/// The `attnscope` command: see how attention behaves inside a trained transformer.
@main
struct AttnScopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attnscope",
        abstract: "Capture and measure attention sinks, concentration and value drains in transformer checkpoints."
    )
}
