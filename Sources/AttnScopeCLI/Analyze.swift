import ArgumentParser
import AttnAnalysis
import AttnModel
import AttnScope
import Foundation

/// `attnscope analyze`: run the probe and the analysis, write metrics.json, maps and figures.
struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a checkpoint over prompts; write metrics.json, .npy maps and figures.",
        discussion: """
        Without a checkpoint, analyzes SmolLM2-135M (fetched by `bash .ci/setup`) on the bundled \
        Shakespeare/Milton prompt set and writes to outputs/<checkpoint>/.
        Variants: \(VariantRequest.spellings.joined(separator: ", ")).
        """
    )

    @Argument(help: "An HF checkpoint folder or a .gguf file (default: the fetched SmolLM2-135M).")
    var checkpoint: String?

    @OptionGroup var input: PromptOptions
    @OptionGroup var metrics: MetricOptions

    @Option(name: .long, help: ArgumentHelp("The architecture variant (default: what the checkpoint says).", valueName: "variant"))
    var variant: String = "auto"

    @Option(name: .long, help: ArgumentHelp("Output folder (default: outputs/<checkpoint>).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Write every sample's maps of these blocks as .npy: none, all, or a list like 0,5,10-12.", valueName: "layers"))
    var saveAttention: String = "none"

    @Flag(inversion: .prefixedNo, help: "Write the standard figures (per-layer charts, sink atlases, maps of sample 0's first, middle and last blocks).")
    var figures = true

    @Option(name: .long, help: ArgumentHelp("Also print metrics.json to standard output ('-').", valueName: "-"))
    var json: String?

    func validate() throws {
        _ = try parseVariant(variant)
        do { _ = try LayerSelection(parsing: saveAttention) } catch { throw ValidationError("\(error)") }
        if let json, json != "-" { throw ValidationError("--json takes '-' (standard output); metrics.json is always written to --out") }
    }

    func run() async throws {
        try await ExitStatus.reporting {
            let progress = ProgressReporter(quiet: metrics.quiet)
            let url = try checkpoint.map { URL(fileURLWithPath: $0) } ?? Defaults.requireDefaultCheckpoint()
            let outFolder = out.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? Defaults.outputFolder(for: url)
            let prompts = try input.load()
            progress.note("loading \(url.path)")
            let loaded = try LoadedModel(url: url, variant: try VariantRequest(parsing: variant))
            let selection = try LayerSelection(parsing: saveAttention)
            let missing = selection.missing(layers: loaded.model.description.layers)
            guard missing.isEmpty else {
                throw ScopeError.badInput("--save-attention: the model has \(loaded.model.description.layers) blocks (0…\(loaded.model.description.layers - 1)); no block \(missing.map(String.init).joined(separator: ", "))")
            }
            let document = try AnalysisJob(
                loaded: loaded, prompts: prompts, maxTokens: input.maxTokens, bos: input.policy,
                epsilon: metrics.epsilon, variant: variant, saveAttention: selection, figures: figures
            ).run(into: outFolder, label: Defaults.label(for: url), progress: progress)
            if json == "-" {
                FileHandle.standardOutput.write(try Data(contentsOf: outFolder.appendingPathComponent("metrics.json")))
            }
            progress.note(String(format: "sink rate %.3f over %d samples; wrote %@", document.summary.sinkRate.mean ?? 0, document.samples.count, outFolder.path))
        }
    }
}

/// One model over one prompt set: metrics.json, maps and figures in a folder.
struct AnalysisJob {
    let loaded: LoadedModel
    let prompts: [Prompt]
    let maxTokens: Int?
    let bos: BOSPolicy
    let epsilon: Double
    let variant: String
    let saveAttention: LayerSelection
    let figures: Bool

    func run(into folder: URL, label: String, progress: ProgressReporter) throws -> MetricsDocument {
        let attention = folder.appendingPathComponent("attention", isDirectory: true)
        let options = AnalysisOptions(
            maxTokens: maxTokens, bos: bos, settings: AnalysisSettings(sinkEpsilon: epsilon),
            saveAttention: saveAttention, figureAttention: figures ? .figures : .none, attentionDirectory: attention
        )
        let samples = try loaded.analyze(prompts, options: options) { progress.update($0, label: label) }
        let document = try MetricsDocument(
            model: loaded.info,
            settings: RunSettings(sinkEpsilon: epsilon, maxTokens: maxTokens, addBOS: bos.rawValue, variant: variant),
            samples: samples
        )
        try document.write(to: folder.appendingPathComponent("metrics.json"))
        if figures {
            _ = try StandardFigures.writeAll(
                document, label: label, attentionDirectory: attention, to: folder.appendingPathComponent("figures", isDirectory: true)
            )
        }
        return document
    }
}
