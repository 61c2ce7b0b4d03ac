import AttnAnalysis
import AttnModel
import Foundation

/// The library's front door (README, "Use attnscope from Swift"): open a checkpoint with
/// ``LoadedModel/init(url:variant:)``, then ``LoadedModel/analyze(_:maxTokens:bos:settings:)``
/// for the metrics of some prompts, ``LoadedModel/observe(_:with:maxTokens:bos:)`` to see every
/// block as it is computed, ``AnalysisJob`` to write a run folder and
/// ``MetricsDocument/read(runFolder:)`` to read one back.
extension LoadedModel {
    /// Runs the model over `prompts`, one at a time, and returns each prompt's metrics (metrics.md) in order; writes nothing.
    ///
    /// Text prompts need the checkpoint's tokenizer; `maxTokens` cuts each prompt and `bos` decides the
    /// beginning-of-sequence token, as `analyze`'s flags do. Throws on a prompt the model cannot run.
    public func analyze(
        _ prompts: [Prompt], maxTokens: Int? = nil, bos: BOSPolicy = .auto,
        settings: AnalysisSettings = AnalysisSettings()
    ) throws -> [SampleMetrics] {
        try prompts.indices.map { n in
            let ids = try tokenIDs(for: prompts[n], index: n, maxTokens: maxTokens, bos: bos)
            var observer = AnalyzingObserver(analyzer: SampleAnalyzer(settings: settings), tokenIDs: ids)
            try run(ids, with: &observer)
            return try observer.analyzer.finish(tokenIDs: ids, tokens: labels(for: ids), text: prompts[n].text)
        }
    }

    /// Runs the model over `prompt` and hands `observer` each hidden state, attention layout and block
    /// as the forward pass produces them (``AnalyzingObserver`` turns them into metrics); returns the token ids run.
    @discardableResult
    public func observe<Observer: ProbeObserver>(
        _ prompt: Prompt, with observer: inout Observer, maxTokens: Int? = nil, bos: BOSPolicy = .auto
    ) throws -> [Int] {
        let ids = try tokenIDs(for: prompt, index: 0, maxTokens: maxTokens, bos: bos)
        try run(ids, with: &observer)
        return ids
    }

    /// One prompt through the batched forward pass `analyze` runs (which also checks memory).
    private func run<Observer: ProbeObserver>(_ ids: [Int], with observer: inout Observer) throws {
        var observers = [observer]
        try model.run(batch: [ids], observers: &observers)
        observer = observers[0]
    }
}

extension MetricsDocument {
    /// Reads the `metrics.json` of the run folder `folder` (what `analyze` or ``AnalysisJob`` wrote);
    /// ``forEachSample(besides:_:)`` with ``url(inRunFolder:)`` then reads its samples one at a time.
    public static func read(runFolder folder: URL) throws -> MetricsDocument {
        try read(from: url(inRunFolder: folder))
    }

    /// The `metrics.json` of the run folder `folder`.
    public static func url(inRunFolder folder: URL) -> URL {
        folder.appendingPathComponent(fileName)
    }
}
