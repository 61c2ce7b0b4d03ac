import ArgumentParser
import AttnModel
import AttnScope
import Foundation

/// Where prompts come from and how they become tokens.
struct PromptOptions: ParsableArguments {
    @Option(name: .long, help: "Text to analyze (repeat for several prompts).")
    var prompt: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A prompt file: JSON Lines with \"text\" or \"token_ids\", or plain text with one prompt per line.",
            valueName: "file"))
    var prompts: String?

    @Option(name: .long, help: ArgumentHelp("Cut each sample to its first N tokens.", valueName: "n"))
    var maxTokens: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Start samples with the BOS token: auto (as the tokenizer says), on, off.", valueName: "auto|on|off"))
    var bos: BOSPolicy = .auto

    func validate() throws {
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if prompts != nil && !prompt.isEmpty { throw ValidationError("give --prompt or --prompts, not both") }
    }

    /// The prompts asked for, or the bundled prompt set.
    func load() throws -> [Prompt] {
        if !prompt.isEmpty { return prompt.map(Prompt.init(text:)) }
        let url = prompts.map { URL(fileURLWithPath: $0) } ?? Defaults.prompts
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ScopeError.badInput("\(url.path): no such prompt file")
        }
        return try Prompt.read(from: url)
    }
}

/// The metric settings shared by `analyze` and `compare`.
struct MetricOptions: ParsableArguments {
    @Option(name: .long, help: "Sink threshold ε: a head is a sink head when its first-token importance exceeds it.")
    var epsilon: Double = 0.3

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard epsilon >= 0, epsilon < 1 else { throw ValidationError("--epsilon must be in [0, 1), not \(epsilon)") }
    }
}
