import ArgumentParser
import AttnModel
import AttnScope
import Foundation

/// The `attnscope` command: see how attention behaves inside a trained transformer.
@main
struct AttnScopeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attnscope",
        abstract: "Capture and measure attention sinks, concentration and value drains in transformer checkpoints.",
        discussion: """
            Checkpoints: a Hugging Face folder (config.json, model.safetensors, tokenizer.json) or a llama.cpp \
            .gguf file. Families:
            \(ModelRegistry.familyLines.map { "  " + $0 }.joined(separator: "\n"))

            Exit codes: 0 success, 64 usage error (bad flag or value), 65 bad input (missing or malformed \
            file, prompt too long, unsupported checkpoint), 70 internal error.
            """,
        version: AttnScopeVersion.current,
        subcommands: [Analyze.self, Merge.self, Compare.self, Render.self, Inspect.self],
        defaultSubcommand: Analyze.self
    )

    /// Checks the CPU, then parses and runs a subcommand. Every failure ends as one line on
    /// stderr with a documented exit code: usage errors say where to find
    /// help instead of printing the whole usage.
    static func main() async {
        if let problem = CPUFeatures.problem() {
            ExitStatus.printError(problem)
            Foundation.exit(ExitStatus.internalError)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)  // already reported by ExitStatus.reporting
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            ExitStatus.printError("\(message) (see 'attnscope help')")
            Foundation.exit(code.rawValue)
        }
    }
}
