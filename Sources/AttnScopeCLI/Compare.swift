import ArgumentParser
import AttnAnalysis
import AttnModel
import AttnScope
import Foundation

/// `attnscope compare`: the same prompts through several checkpoints, side by side.
struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Compare checkpoints (or saved metrics.json files): comparison.json, per-layer charts with one line each, and report.html.",
        discussion: """
            Each input is a checkpoint (analyzed on the same prompts into <out>/<label>/) or a metrics.json \
            from an earlier run. The same checkpoint may appear twice with different --variant values, e.g. \
            `compare m m --variant transformer --variant resformer`.
            """
    )

    @Argument(help: "Checkpoints or metrics.json files (two or more).")
    var inputs: [String]

    @OptionGroup var input: PromptOptions
    @OptionGroup var metrics: MetricOptions
    @OptionGroup var threading: ThreadOptions

    @Option(
        name: .long,
        help: ArgumentHelp("A variant for every checkpoint, or one per input in order.", valueName: "variant"))
    var variant: [VariantRequest] = []

    @Option(name: .long, help: ArgumentHelp("Legend labels, one per input, comma-separated.", valueName: "a,b,…"))
    var labels: String?

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out = FolderPath(argument: "outputs/compare")!

    func validate() throws {
        guard inputs.count >= 2 else { throw ValidationError("compare needs at least two inputs") }
        guard variant.count <= 1 || variant.count == inputs.count else {
            throw ValidationError("give one --variant for all inputs or one per input (\(inputs.count))")
        }
        if let labels, labels.split(separator: ",").count != inputs.count {
            throw ValidationError("--labels needs \(inputs.count) comma-separated labels")
        }
    }

    func run() async throws {
        threading.apply()
        try await ExitStatus.reporting {
            let progress = ProgressReporter(quiet: metrics.quiet)
            let folder = out.url
            let urls = inputs.map { URL(fileURLWithPath: $0) }
            let names =
                labels.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                ?? urls.enumerated().map { i, url in
                    url.pathExtension == "json"
                        ? url.deletingLastPathComponent().lastPathComponent
                        : checkpointLabel(for: url) + (variant.count > 1 ? " [\(variant[i])]" : "")
                }
            let runLabels = uniqueLabels(names)
            let needsPrompts = urls.contains { $0.pathExtension != "json" }
            let prompts = needsPrompts ? try input.load() : []
            var runs: [ComparisonDocument.Run] = []
            var documents: [(label: String, document: MetricsDocument)] = []
            for (i, url) in urls.enumerated() {
                let label = runLabels[i]
                let metricsURL: URL
                let document: MetricsDocument
                if url.pathExtension == "json" {
                    metricsURL = url
                    document = try MetricsDocument.read(from: url)
                } else {
                    let requested = variant.count > 1 ? variant[i] : (variant.first ?? .auto)
                    progress.note("loading \(url.path) as \(requested)")
                    let runFolder = folder.appendingPathComponent(Self.folderName(label), isDirectory: true)
                    document = try AnalysisJob(
                        loaded: try LoadedModel.opening(url, as: requested), prompts: prompts,
                        maxTokens: input.maxTokens,
                        bos: input.bos, settings: AnalysisSettings(sinkEpsilon: metrics.epsilon), variant: requested,
                        figures: false, label: label
                    ).run(into: runFolder) { progress.update($0, label: label) }
                    metricsURL = runFolder.appendingPathComponent(MetricsDocument.fileName)
                }
                documents.append((label, document))
                runs.append(ComparisonDocument.Run(label: label, metricsPath: metricsURL.path, document: document))
            }
            if let mismatch = Self.promptMismatch(documents) { ExitStatus.printWarning(mismatch) }
            try ComparisonDocument(runs: runs).write(to: folder.appendingPathComponent("comparison.json"))
            let figures = try StandardFigures.writeComparison(
                documents, to: folder.appendingPathComponent("figures", isDirectory: true))
            try RunReport.writeComparison(
                documents, figures: figures.summaries, to: folder.appendingPathComponent(RunReport.fileName))
            progress.note(
                "wrote \(folder.appendingPathComponent("comparison.json").path), \(RunReport.fileName) and \(figures.files.count) figure files"
            )
        }
    }

    /// A file-system-safe folder name for a label: one path component inside
    /// `--out`, never empty, `.` or `..`.
    static func folderName(_ label: String) -> String {
        let name = String(label.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return name.allSatisfy { $0 == "." } ? String(repeating: "_", count: max(1, name.count)) : name
    }

    /// One sentence naming two runs analyzed over different prompt sets, or nil when they all share one.
    static func promptMismatch(_ documents: [(label: String, document: MetricsDocument)]) -> String? {
        guard let first = documents.first,
            let other = documents.first(where: { $0.document.run.prompts != first.document.run.prompts })
        else { return nil }
        func set(_ run: RunManifest) -> String { "\(run.prompts.count) prompts, digest \(run.prompts.digest)" }
        return
            "'\(first.label)' and '\(other.label)' were analyzed over different prompt sets (\(set(first.document.run)) vs \(set(other.document.run))): their charts do not compare the same samples"
    }
}
