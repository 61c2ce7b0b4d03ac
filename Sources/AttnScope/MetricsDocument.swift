import AttnAnalysis
import Foundation

/// `metrics.json`: one model's metrics over a prompt set (metrics.md, schema version 1).
public struct MetricsDocument: Codable, Sendable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var model: ModelInfo
    public var settings: RunSettings
    public var samples: [SampleMetrics]
    public var summary: DatasetSummary

    public init(model: ModelInfo, settings: RunSettings, samples: [SampleMetrics]) throws {
        schemaVersion = Self.currentSchemaVersion
        self.model = model
        self.settings = settings
        self.samples = samples
        summary = try DatasetSummary(samples: samples)
    }

    enum CodingKeys: String, CodingKey {
        case model, settings, samples, summary
        case schemaVersion = "schema_version"
    }

    /// Writes the document as pretty, key-sorted JSON (through a temporary file).
    public func write(to url: URL) throws {
        try JSONFile.write(self, to: url)
    }

    /// Reads a `metrics.json`; errors name the file and the key.
    public static func read(from url: URL) throws -> MetricsDocument {
        let document = try JSONFile.read(MetricsDocument.self, from: url)
        guard document.schemaVersion == currentSchemaVersion else {
            throw ScopeError.badInput("\(url.path): schema_version \(document.schemaVersion) is not supported (expected \(currentSchemaVersion))")
        }
        try document.validate(file: url.path)
        return document
    }
}

/// The `"settings"` object of `metrics.json`.
public struct RunSettings: Codable, Sendable, Equatable {
    public var sinkEpsilon: Double
    /// Samples were cut to at most this many tokens (nil: not cut).
    public var maxTokens: Int?
    /// `auto`, `on` or `off`.
    public var addBOS: String
    /// The `--variant` asked for.
    public var variant: String

    public init(sinkEpsilon: Double, maxTokens: Int?, addBOS: String, variant: String) {
        self.sinkEpsilon = sinkEpsilon
        self.maxTokens = maxTokens
        self.addBOS = addBOS
        self.variant = variant
    }

    enum CodingKeys: String, CodingKey {
        case variant
        case sinkEpsilon = "sink_epsilon"
        case maxTokens = "max_tokens"
        case addBOS = "add_bos"
    }
}
