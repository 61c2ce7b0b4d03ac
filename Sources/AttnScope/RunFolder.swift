import AttnCheckpoint
import Foundation

/// The last steps every run folder shares, whether one job or a merge of shards wrote its samples.
enum RunFolder {
    /// Flushes `samples` (the folder's `samples.jsonl`, fully written) to the disk, then writes
    /// `document` as the folder's `metrics.json`, also flushed, and, when asked, its figures (the
    /// maps `maps` selects, or every kept one when nil) and `report.html`; returns the document. `metrics.json` is what marks a run finished, so it reaches the disk
    /// only after every sample line has.
    ///
    /// A shard can hold no samples (more shards than prompts): it finishes with an empty summary and
    /// no figures.
    static func finish(
        _ document: MetricsDocument, samples: LineWriter, in folder: URL, figures: Bool, maps: MapSelection? = nil,
        label: String
    ) throws -> MetricsDocument {
        guard document.summary.samples > 0 || document.run.sampleCount == 0 else {
            throw ScopeError.badInput("\(folder.path): no samples to summarize")
        }
        try samples.sync()
        let url = folder.appendingPathComponent(MetricsDocument.fileName)
        try JSONFile.write(document, to: url, durable: true)
        if figures, document.summary.samples > 0 {
            let written = try StandardFigures.writeAll(
                document, at: url, label: label, maps: maps,
                to: folder.appendingPathComponent("figures", isDirectory: true))
            try RunReport.write(
                document, at: url, label: label, figures: written.summaries,
                to: folder.appendingPathComponent(RunReport.fileName))
        }
        return document
    }
}
