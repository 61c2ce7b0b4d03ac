import AttnAnalysis
import Foundation

/// `comparison.json`: the per-layer summaries of several runs over the same
/// prompts, side by side.
package struct ComparisonDocument: Codable, Sendable {
    /// One compared run.
    package struct Run: Codable, Sendable {
        package var label: String
        package var metricsPath: String
        package var model: ModelInfo
        package var settings: RunSettings
        package var summary: DatasetSummary

        package init(label: String, metricsPath: String, document: MetricsDocument) {
            self.label = label
            self.metricsPath = metricsPath
            model = document.model
            settings = document.settings
            summary = document.summary
        }

        enum CodingKeys: String, CodingKey {
            case label, model, settings, summary
            case metricsPath = "metrics_path"
        }
    }

    package var schemaVersion = MetricsDocument.currentSchemaVersion
    package var runs: [Run]

    package init(runs: [Run]) { self.runs = runs }

    enum CodingKeys: String, CodingKey {
        case runs
        case schemaVersion = "schema_version"
    }

    package func write(to url: URL) throws { try JSONFile.write(self, to: url) }
}

/// Labels for compared runs: the checkpoint's file or folder name, made
/// unique with the variant or a counter.
package func uniqueLabels(_ names: [String]) -> [String] {
    var seen: [String: Int] = [:]
    return names.map { name in
        let count = seen[name, default: 0]
        seen[name] = count + 1
        return count == 0 ? name : "\(name) (\(count + 1))"
    }
}
