import AttnAnalysis
import AttnModel
import Foundation

/// What an analysis run does besides computing metrics.
public struct AnalysisOptions: Sendable {
    /// Samples longer than this are cut to their first `maxTokens` tokens.
    public var maxTokens: Int?
    public var bos: BOSPolicy
    public var settings: AnalysisSettings
    /// Blocks whose maps are written as `.npy` into ``attentionDirectory`` for every sample.
    public var saveAttention: LayerSelection
    /// Blocks whose maps are written for the first sample only (the ones the figures draw).
    public var figureAttention: LayerSelection
    public var attentionDirectory: URL?

    public init(
        maxTokens: Int? = nil, bos: BOSPolicy = .auto, settings: AnalysisSettings = AnalysisSettings(),
        saveAttention: LayerSelection = .none, figureAttention: LayerSelection = .none, attentionDirectory: URL? = nil
    ) {
        self.maxTokens = maxTokens
        self.bos = bos
        self.settings = settings
        self.saveAttention = saveAttention
        self.figureAttention = figureAttention
        self.attentionDirectory = attentionDirectory
    }
}

/// How far a dataset run has come, for progress reports.
public struct RunProgress: Sendable {
    public var samplesDone: Int
    public var samples: Int
    public var tokensDone: Int
    public var elapsed: Duration
}

/// The `.npy` file of sample `sample`'s block `layer` maps.
public func attentionFileName(sample: Int, layer: Int) -> String {
    String(format: "sample-%03d-layer-%02d.npy", sample, layer)
}

extension LoadedModel {
    /// The ids of `prompt` under `options` (tokenized, BOS applied, cut to
    /// `maxTokens`), checked against the model's context.
    public func tokenIDs(for prompt: Prompt, index: Int, options: AnalysisOptions) throws -> [Int] {
        var ids: [Int]
        if let given = prompt.tokenIDs {
            ids = given
        } else if let text = prompt.text {
            guard let tokenizer else {
                throw ScopeError.badInput("prompt \(index + 1): \(checkpoint.url.path) has no tokenizer; give \"token_ids\" instead of text")
            }
            ids = options.bos.encode(text, with: tokenizer)
        } else {
            throw ScopeError.badInput("prompt \(index + 1) has neither text nor token ids")
        }
        if let limit = options.maxTokens, ids.count > limit { ids = Array(ids.prefix(limit)) }
        do { try model.validate(tokens: ids) } catch let error as ModelError {
            throw ScopeError.badInput("prompt \(index + 1): \(error.message)")
        }
        return ids
    }

    /// A readable label per token id, for plots and `metrics.json`.
    public func labels(for ids: [Int]) -> [String] {
        ids.map { id in tokenizer?.label(id) ?? "#\(id)" }
    }

    /// Runs every prompt through the probe and the analysis; writes the
    /// selected maps as `.npy` on the way. Memory holds one block's maps.
    public func analyze(
        _ prompts: [Prompt], options: AnalysisOptions, progress: (RunProgress) -> Void = { _ in }
    ) throws -> [SampleMetrics] {
        let everySample = Set(options.saveAttention.layers(of: model.description.layers))
        let firstSample = everySample.union(options.figureAttention.layers(of: model.description.layers))
        let clock = ContinuousClock(), start = clock.now
        // Tokenize everything first: a bad prompt fails before minutes of work.
        let samples = try prompts.enumerated().map { index, prompt in
            (prompt, try tokenIDs(for: prompt, index: index, options: options))
        }
        var results: [SampleMetrics] = []
        var tokensDone = 0
        for (index, (prompt, ids)) in samples.enumerated() {
            var observer = AnalyzingObserver(
                analyzer: SampleAnalyzer(settings: options.settings),
                saveLayers: index == 0 ? firstSample : everySample, directory: options.attentionDirectory, sample: index
            )
            try model.run(tokens: ids, observer: &observer)
            results.append(try observer.analyzer.finish(tokenIDs: ids, tokens: labels(for: ids), text: prompt.text))
            tokensDone += ids.count
            progress(RunProgress(samplesDone: index + 1, samples: samples.count, tokensDone: tokensDone, elapsed: clock.now - start))
        }
        return results
    }
}

/// Feeds the probe's observations into a ``SampleAnalyzer`` and writes the
/// selected blocks' maps.
public struct AnalyzingObserver: ProbeObserver {
    public var analyzer: SampleAnalyzer
    let saveLayers: Set<Int>
    let directory: URL?
    let sample: Int

    /// An observer writing block `l`'s maps of sample `sample` to `directory` for `l` in `saveLayers`.
    public init(analyzer: SampleAnalyzer, saveLayers: Set<Int> = [], directory: URL? = nil, sample: Int = 0) {
        self.analyzer = analyzer
        self.saveLayers = saveLayers
        self.directory = directory
        self.sample = sample
    }

    public mutating func embeddings(_ hidden: HiddenStateView) throws {
        try analyzer.addHiddenState(index: hidden.index, tokenCount: hidden.tokenCount, hiddenSize: hidden.hiddenSize, values: hidden.values)
    }

    public mutating func block(_ capture: BlockCapture) throws {
        try analyzer.addBlock(
            layer: capture.layer, heads: capture.heads, kvHeads: capture.kvHeads, headDim: capture.headDim,
            tokenCount: capture.tokenCount, causal: capture.causal, attention: capture.attention, values: capture.values
        )
        let h = capture.hidden
        try analyzer.addHiddenState(index: h.index, tokenCount: h.tokenCount, hiddenSize: h.hiddenSize, values: h.values)
        if let directory, saveLayers.contains(capture.layer) {
            let url = directory.appendingPathComponent(attentionFileName(sample: sample, layer: capture.layer))
            try NPYFile.write(capture.attention, shape: [capture.heads, capture.tokenCount, capture.tokenCount], to: url)
        }
    }
}
