import ArgumentParser
import AttnAnalysis
import AttnModel
import AttnScope
import Foundation

/// `attnscope analyze`: run the probe and the analysis, write metrics.json, maps and figures.
struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run a checkpoint over prompts; write metrics.json, samples.jsonl, .npy maps, figures and report.html.",
        discussion: """
            Without a checkpoint, analyzes SmolLM2-135M (fetched by `bash .ci/setup`) on the bundled \
            Shakespeare/Milton prompt set and writes to outputs/<checkpoint>/.
            Each finished sample is appended to samples.jsonl at once: a run that is stopped resumes where it \
            left off when the same command runs again. With --shard K/N it runs every N-th prompt from the K-th; \
            `attnscope merge` joins the shards.
            Variants: \(VariantRequest.spellings.joined(separator: ", ")).
            """
    )

    @Argument(help: "An HF checkpoint folder or a .gguf file (default: the fetched SmolLM2-135M).")
    var checkpoint: String?

    @OptionGroup var input: PromptOptions
    @OptionGroup var metrics: MetricOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var maps: MapOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run a standard probe instead of prompts: induction (\(InductionProbe.promptCount) prompts of \(InductionProbe.sequenceLength) random tokens repeated once, so induction scores mean something on any checkpoint).",
            valueName: "probe"))
    var probe: ProbePrompts?

    @Option(
        name: .long,
        help: ArgumentHelp("The architecture variant (default: what the checkpoint says).", valueName: "variant"))
    var variant: VariantRequest = .auto

    @Option(name: .long, help: ArgumentHelp("Output folder (default: outputs/<checkpoint>).", valueName: "dir"))
    var out: FolderPath?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write every sample's maps of these blocks as .npy: none, all, or a list like 0,5,10-12.",
            valueName: "layers"))
    var saveAttention: LayerSelection = .none

    @Option(
        name: .long,
        help: ArgumentHelp("Run only shard K of N (1-based): every N-th prompt starting at the K-th.", valueName: "K/N")
    )
    var shard: Shard?

    @Flag(
        inversion: .prefixedNo,
        help:
            "Write the standard figures as PNG and SVG (per-layer charts, sink atlases, maps of sample 0's first, middle and last blocks, or those the --map-* flags name) and report.html."
    )
    var figures = true

    @Option(name: .long, help: ArgumentHelp("Also print metrics.json to standard output ('-').", valueName: "-"))
    var json: StandardOutput?

    func validate() throws {
        if probe != nil && (input.prompts != nil || !input.prompt.isEmpty) {
            throw ValidationError("give --probe or prompts (--prompt, --prompts), not both")
        }
    }

    func run() async throws {
        threading.apply()
        try await ExitStatus.reporting {
            let progress = ProgressReporter(quiet: metrics.quiet)
            let url = try checkpoint.map { URL(fileURLWithPath: $0) } ?? Defaults.requireDefaultCheckpoint()
            let outFolder = out?.url ?? Defaults.outputFolder(for: url)
            progress.note("loading \(url.path)")
            let loaded = try LoadedModel.opening(url, as: variant)
            let prompts = try probe.map { _ in try InductionProbe.prompts(for: loaded, bos: input.bos) } ?? input.load()
            let label = checkpointLabel(for: url)
            let document = try AnalysisJob(
                loaded: loaded, prompts: prompts, maxTokens: input.maxTokens, bos: input.bos,
                settings: AnalysisSettings(sinkEpsilon: metrics.epsilon), variant: variant,
                saveAttention: saveAttention,
                figures: figures, maps: maps.selection, shard: shard, label: label
            ).run(into: outFolder) { progress.update($0, label: label) }
            if json != nil {
                FileHandle.standardOutput.write(
                    try Data(contentsOf: outFolder.appendingPathComponent(MetricsDocument.fileName)))
            }
            progress.note(
                String(
                    format: "sink rate %.3f over %d samples; wrote %@", document.summary.sinkRate.mean ?? 0,
                    document.summary.samples, outFolder.path))
        }
    }
}
