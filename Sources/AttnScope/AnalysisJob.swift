import AttnAnalysis
import AttnCheckpoint
import AttnModel
import Foundation

/// How far a dataset run has come, for progress reports (counting this
/// invocation's samples only: those a resumed run skips are not in it).
public struct RunProgress: Sendable {
    /// Samples finished by this invocation.
    public var samplesDone: Int
    /// Samples this invocation has to run.
    public var samples: Int
    /// Tokens of the finished samples.
    public var tokensDone: Int
    /// Time since this invocation began.
    public var elapsed: Duration
}

/// One model over one prompt set, or one shard of it, streamed into a run
/// folder: what `analyze`, `compare` and the benchmarks run.
///
/// The folder holds `run.json` (the ``RunManifest``), `samples.jsonl` (one
/// line per finished sample, appended as each completes), then
/// `metrics.json`, the `attention/` maps, the `figures/` and `report.html`. Memory holds
/// one sample and the running summary, never the samples before it. A run
/// killed part way keeps every finished sample: running the same job again
/// skips them; a folder written by a different checkpoint, prompt set,
/// setting or shard is refused.
public struct AnalysisJob: Sendable {
    /// The opened checkpoint.
    public var loaded: LoadedModel
    /// The whole prompt set (a shard runs its slice of it).
    public var prompts: [Prompt]
    /// Samples longer than this are cut to their first `maxTokens` tokens.
    public var maxTokens: Int?
    /// Whether text prompts get a beginning-of-sequence token.
    public var bos: BOSPolicy
    /// The sink key and threshold of the metrics.
    public var settings: AnalysisSettings
    /// The variant asked for (recorded in the settings).
    public var variant: VariantRequest
    /// Blocks whose maps are written as `.npy` for every sample.
    public var saveAttention: LayerSelection
    /// Whether to draw the standard figures (and keep the maps ``maps`` names for them, as every shard does).
    public var figures: Bool
    /// The maps drawn (their `.npy` files are kept for it); nil for sample 0's first, middle and
    /// last blocks, drawn with every other kept map.
    public var maps: MapSelection?
    /// The slice of `prompts` to run; nil for all of them.
    public var shard: Shard?
    /// The legend label of the figures.
    public var label: String

    /// A job; each parameter is the property of that name (defaults: the `analyze` command's).
    public init(
        loaded: LoadedModel, prompts: [Prompt], maxTokens: Int? = nil, bos: BOSPolicy = .auto,
        settings: AnalysisSettings = AnalysisSettings(), variant: VariantRequest = .auto,
        saveAttention: LayerSelection = .none, figures: Bool = true, maps: MapSelection? = nil, shard: Shard? = nil,
        label: String
    ) {
        self.loaded = loaded
        self.prompts = prompts
        self.maxTokens = maxTokens
        self.bos = bos
        self.settings = settings
        self.variant = variant
        self.saveAttention = saveAttention
        self.figures = figures
        self.maps = maps
        self.shard = shard
        self.label = label
    }

    /// The manifest this job writes: what a resumed run or a merged shard must agree with.
    public func manifest() throws -> RunManifest {
        RunManifest(
            checkpointDigest: try Digest.checkpoint(at: loaded.checkpoint.url), model: loaded.info,
            settings: RunSettings(
                sinkEpsilon: settings.sinkEpsilon, maxTokens: maxTokens, addBOS: bos.rawValue,
                variant: variant.description),
            prompts: PromptSetIdentity(prompts), shard: shard
        )
    }

    /// Runs the job into `folder`, resuming what an earlier run of the same job left there.
    public func run(into folder: URL, progress: (RunProgress) -> Void = { _ in }) throws -> MetricsDocument {
        let layers = loaded.model.description.layers
        try saveAttention.check(layers: layers)
        try maps?.check(prompts: prompts.count, layers: layers, heads: loaded.model.description.heads)
        let drawn = maps ?? .standard
        let manifest = try manifest()
        let indices = Array(manifest.indices)  // empty for a shard past the last prompt: it finishes empty
        // Tokenize first: a bad prompt fails before minutes of work.
        let lengths = try indices.map { try tokenIDs($0).count }
        try OutputFile.makeFolder(folder)  // refused when --out is a link or a file

        var summary = DatasetSummary()
        let kept = try resume(manifest, in: folder, summary: &summary)
        let writer = try LineWriter(url: folder.appendingPathComponent(SamplesFile.fileName), keeping: kept)
        let attention = folder.appendingPathComponent("attention", isDirectory: true)
        let everySample = Set(saveAttention.layers(of: layers))
        // The drawn sample's maps are kept for a shard too: the merged run draws them.
        let drawnSample = figures || shard != nil ? everySample.union(drawn.blocks.layers(of: layers)) : everySample
        let clock = ContinuousClock(), start = clock.now
        let remaining = Array(indices.dropFirst(summary.samples))
        var tokensDone = 0, samplesDone = 0
        // Short prompts run a batch at a time (bit-identical to one by one); samples are written in order.
        for batch in promptBatches(lengths: Array(lengths.dropFirst(summary.samples))) {
            let ids = try batch.map { try tokenIDs(remaining[$0]) }
            var observers = zip(batch, ids).map { n, tokens in
                AnalyzingObserver(
                    analyzer: SampleAnalyzer(settings: settings), tokenIDs: tokens,
                    saveLayers: remaining[n] == drawn.sample ? drawnSample : everySample, directory: attention,
                    sample: remaining[n]
                )
            }
            try loaded.model.run(batch: ids, observers: &observers)
            for (n, (tokens, observer)) in zip(batch, zip(ids, observers)) {
                let index = remaining[n]
                let sample = try observer.analyzer.finish(
                    tokenIDs: tokens, tokens: loaded.labels(for: tokens), text: prompts[index].text)
                try writer.append(try SampleRecord(index: index, sample: sample).line())
                try summary.add(sample)
                (tokensDone, samplesDone) = (tokensDone + tokens.count, samplesDone + 1)
                progress(
                    RunProgress(
                        samplesDone: samplesDone, samples: remaining.count, tokensDone: tokensDone,
                        elapsed: clock.now - start))
            }
        }
        return try RunFolder.finish(
            MetricsDocument(run: manifest, summary: summary), samples: writer, in: folder, figures: figures, maps: maps,
            label: label)
    }

    private func tokenIDs(_ index: Int) throws -> [Int] {
        try loaded.tokenIDs(for: prompts[index], index: index, maxTokens: maxTokens, bos: bos)
    }

    /// Records `manifest` in a fresh folder, or checks it against the one
    /// there and adds the samples already done to `summary`. Returns the byte
    /// length of the complete sample lines to keep (nil: none).
    private func resume(_ manifest: RunManifest, in folder: URL, summary: inout DatasetSummary) throws -> Int? {
        let manifestURL = folder.appendingPathComponent(RunManifest.fileName)
        let metricsURL = folder.appendingPathComponent(MetricsDocument.fileName)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            try OutputFile.remove(metricsURL)
            try JSONFile.write(manifest, to: manifestURL, durable: true)
            return nil
        }
        let recorded = try JSONFile.read(RunManifest.self, from: manifestURL)
        if let difference = manifest.difference(from: recorded) {
            throw ScopeError.badInput(
                "\(folder.path) holds another run's results (\(difference)); give another --out or delete it")
        }
        try OutputFile.remove(metricsURL)  // written again when the run completes
        let samples = folder.appendingPathComponent(SamplesFile.fileName)
        guard FileManager.default.fileExists(atPath: samples.path) else { return nil }
        return try SamplesFile.checkedRecords(in: samples, indices: manifest.indices, model: manifest.model) {
            _, record in
            do { try summary.add(record.sample) } catch let error as AnalysisError {
                throw ScopeError.badInput("\(samples.path): sample \(record.index): \(error)")
            }
        }
    }
}
