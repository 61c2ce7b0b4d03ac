import ArgumentParser
import AttnScope
import Foundation

/// `attnscope merge`: the shards of one run joined into the folder a single run would have written.
struct Merge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Merge the folders of `analyze --shard K/N` runs into one metrics.json, samples.jsonl, figures and report.html.",
        discussion: """
            The shards must come from one run (same checkpoint, prompts, settings, attnscope version), each \
            finished, together covering every prompt exactly once. Summary statistics merge exactly.
            """
    )

    @Argument(help: ArgumentHelp("The merged run's folder.", valueName: "out"))
    var out: FolderPath

    @Argument(help: ArgumentHelp("The shards' folders (each analyze --shard K/N's --out).", valueName: "shard-dir"))
    var shards: [String]

    @Flag(inversion: .prefixedNo, help: "Write the standard figures (PNG and SVG) and report.html.")
    var figures = true

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shards' folders after the output folder") }
    }

    func run() async throws {
        try await ExitStatus.reporting {
            let folder = out.url
            let document = try ShardMerge.merge(
                shards.map { URL(fileURLWithPath: $0, isDirectory: true) }, into: folder, figures: figures)
            ProgressReporter(quiet: quiet).note(
                "merged \(shards.count) shards, \(document.summary.samples) samples, into \(folder.path)")
        }
    }
}
