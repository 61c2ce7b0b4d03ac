import Foundation

/// The last steps every run folder shares, whether one job or a merge of shards wrote its samples.
enum RunFolder {
    /// Writes `document` as the folder's `metrics.json` and, when asked, its figures and `report.html`; returns it.
    static func finish(_ document: MetricsDocument, in folder: URL, figures: Bool, label: String) throws -> MetricsDocument {
        guard document.summary.samples > 0 else { throw ScopeError.badInput("\(folder.path): no samples to summarize") }
        let url = folder.appendingPathComponent(MetricsDocument.fileName)
        try document.write(to: url)
        if figures {
            let written = try StandardFigures.writeAll(
                document, at: url, label: label, to: folder.appendingPathComponent("figures", isDirectory: true))
            try RunReport.write(
                document, at: url, label: label, figures: written.summaries, to: folder.appendingPathComponent(RunReport.fileName))
        }
        return document
    }

    /// Deletes `url` when it exists.
    static func removeIfPresent(_ url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do { try FileManager.default.removeItem(at: url) } catch {
            throw ScopeError.badInput("\(url.path): cannot remove (\(error.localizedDescription))")
        }
    }
}
