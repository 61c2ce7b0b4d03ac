import AttnAnalysis
import AttnCheckpoint
import Foundation

/// `metrics.json`: one model's metrics over a prompt set (metrics.md; schema version 2).
///
/// The run's manifest (model, settings, prompts, shard, checkpoint digest,
/// attnscope version) and the dataset summary sit in this document; the
/// samples sit beside it in ``samplesFile``, one JSON line each, so neither
/// writing nor reading the document grows with the number of prompts.
public struct MetricsDocument: Codable, Sendable {
    /// The `schema_version` this attnscope writes and reads.
    public static let currentSchemaVersion = 2
    /// The document's name in a run folder.
    public static let fileName = "metrics.json"

    /// `schema_version`.
    public var schemaVersion: Int
    /// What produced the run (`run.json`'s fields).
    public var run: RunManifest
    /// The samples' file, relative to this document's folder (`samples.jsonl`).
    public var samplesFile: String
    /// The means and spreads over the samples.
    public var summary: DatasetSummary

    /// The document of a finished run.
    public init(run: RunManifest, summary: DatasetSummary) {
        schemaVersion = Self.currentSchemaVersion
        self.run = run
        samplesFile = SamplesFile.fileName
        self.summary = summary
    }

    /// The model the run analyzed.
    public var model: ModelInfo { run.model }
    /// The run's settings.
    public var settings: RunSettings { run.settings }

    /// Every head's roles over the run, `[L][H]` (JSON `head_roles`, written, never read back: the summary holds what they come from).
    public var headRoles: [[HeadRoleAssignment]] {
        summary.headRoles(sinkEpsilon: settings.sinkEpsilon, thresholds: settings.headRoles)
    }

    enum CodingKeys: String, CodingKey {
        case summary
        case schemaVersion = "schema_version"
        case samplesFile = "samples_file"
        case headRoles = "head_roles"
    }

    /// Reads a document, refusing another schema version or a summary that does not fit the model.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion == Self.currentSchemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container,
                debugDescription:
                    "schema_version \(schemaVersion) is not supported (expected \(Self.currentSchemaVersion))")
        }
        run = try RunManifest(from: decoder)
        samplesFile = try container.decode(String.self, forKey: .samplesFile)
        summary = try container.decode(DatasetSummary.self, forKey: .summary)
        let model = run.model
        guard samplesFile == SamplesFile.fileName,
            ModelLimits.layers.contains(model.layers), ModelLimits.heads.contains(model.heads),
            summary.samples >= 1 || run.sampleCount == 0,  // a shard past the last prompt finishes empty
            summary.samples == 0 || summary.layers.count == model.layers,
            summary.heads.allSatisfy({ $0.count == model.heads }), summary.samples <= run.sampleCount,
            model.blockWindows.map({ $0.count == model.layers && $0.allSatisfy { ($0 ?? 1) >= 1 } }) ?? true
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .summary, in: container,
                debugDescription:
                    "the summary (\(summary.samples) samples, \(summary.layers.count) blocks) or block_windows does not fit the model (\(model.layers) blocks, \(model.heads) heads) and \(run.prompts.count) prompts, or samples_file is not \(SamplesFile.fileName)"
            )
        }
    }

    /// Writes the document as `metrics.json`.
    public func encode(to encoder: Encoder) throws {
        try run.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(samplesFile, forKey: .samplesFile)
        try container.encode(summary, forKey: .summary)
        try container.encode(headRoles, forKey: .headRoles)
    }

    /// Writes the document as compact, key-sorted JSON (through a temporary file).
    public func write(to url: URL) throws {
        try JSONFile.write(self, to: url)
    }

    /// Reads a `metrics.json`; errors name the file and the key.
    public static func read(from url: URL) throws -> MetricsDocument {
        try JSONFile.read(MetricsDocument.self, from: url)
    }

    /// Every sample of the document at `url`, in order, checked against the model; `body` gets each record.
    public func forEachSample(besides url: URL, _ body: (SampleRecord) throws -> Void) throws {
        let samples = url.deletingLastPathComponent().appendingPathComponent(samplesFile)
        var count = 0
        _ = try SamplesFile.checkedRecords(in: samples, indices: run.indices, model: model, finished: true) {
            _, record in
            count += 1
            try body(record)
        }
        guard count == summary.samples else {
            throw ScopeError.badInput(
                "\(samples.path): \(count) samples, but \(url.lastPathComponent) summarizes \(summary.samples)")
        }
    }
}

/// The `"settings"` object of `metrics.json`.
public struct RunSettings: Codable, Sendable, Equatable {
    /// The sink threshold ε.
    public var sinkEpsilon: Double
    /// Samples were cut to at most this many tokens (nil: not cut).
    @Nullable public var maxTokens: Int?
    /// `auto`, `on` or `off`.
    public var addBOS: String
    /// The `--variant` asked for.
    public var variant: String
    /// The thresholds behind `head_roles`.
    public var headRoles: HeadRoleThresholds

    /// The settings; each parameter is the property of that name.
    public init(
        sinkEpsilon: Double, maxTokens: Int?, addBOS: String, variant: String,
        headRoles: HeadRoleThresholds = HeadRoleThresholds()
    ) {
        self.sinkEpsilon = sinkEpsilon
        self.maxTokens = maxTokens
        self.addBOS = addBOS
        self.variant = variant
        self.headRoles = headRoles
    }

    enum CodingKeys: String, CodingKey {
        case variant
        case sinkEpsilon = "sink_epsilon"
        case maxTokens = "max_tokens"
        case addBOS = "add_bos"
        case headRoles = "head_roles"
    }
}
