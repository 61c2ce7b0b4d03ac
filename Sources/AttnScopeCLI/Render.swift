import ArgumentParser
import AttnScope
import Foundation

/// `attnscope render`: the figures again from a saved metrics.json.
struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Draw the standard figures (PNG and SVG) and report.html again from a saved metrics.json (and the .npy maps beside it), without running a model."
    )

    @Argument(help: "A metrics.json written by analyze or merge (samples.jsonl and attention/ beside it).")
    var metrics: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Figure folder, which then also gets report.html (default: figures/ beside metrics.json, report.html beside it).",
            valueName: "dir"))
    var out: FolderPath?

    @OptionGroup var maps: MapOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Legend label (default: the checkpoint name, as analyze wrote it).", valueName: "label"))
    var label: String?

    func run() async throws {
        try await ExitStatus.reporting {
            let url = URL(fileURLWithPath: metrics)
            let document = try MetricsDocument.read(from: url)
            let folder = url.deletingLastPathComponent()
            let destination = out?.url ?? folder.appendingPathComponent("figures", isDirectory: true)
            let name = label ?? checkpointLabel(for: URL(fileURLWithPath: document.model.path))
            let written = try StandardFigures.writeAll(
                document, at: url, label: name, maps: maps.selection, to: destination)
            let report = (out == nil ? folder : destination).appendingPathComponent(RunReport.fileName)
            try RunReport.write(document, at: url, label: name, figures: written.summaries, to: report)
            for file in written.files + [report] { print(file.path) }
        }
    }
}
