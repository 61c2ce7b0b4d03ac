import AttnAnalysis
import Foundation

/// What produced a run folder (`run.json`, and the head of its `metrics.json`):
/// the checkpoint, the prompt set, the settings, the shard and the attnscope version.
///
/// A run resumes, and shards merge, only when these agree.
public struct RunManifest: Codable, Sendable, Equatable {
    /// The file in a run folder that holds the manifest.
    public static let fileName = "run.json"

    /// The attnscope version that wrote the run.
    public var attnscopeVersion: String
    /// The fingerprint of the checkpoint's files.
    public var checkpointDigest: String
    /// The model analyzed.
    public var model: ModelInfo
    /// The settings of the run.
    public var settings: RunSettings
    /// The prompt set.
    public var prompts: PromptSetIdentity
    /// The slice of the prompt set this run covers; nil for all of it.
    @Nullable public var shard: Shard?

    /// A manifest; each parameter is the property of that name.
    public init(
        attnscopeVersion: String = AttnScopeVersion.current, checkpointDigest: String, model: ModelInfo,
        settings: RunSettings, prompts: PromptSetIdentity, shard: Shard?
    ) {
        self.attnscopeVersion = attnscopeVersion
        self.checkpointDigest = checkpointDigest
        self.model = model
        self.settings = settings
        self.prompts = prompts
        self.shard = shard
    }

    /// The prompt indices this run covers, ascending.
    public var indices: StrideTo<Int> { (shard ?? .whole).indices(of: prompts.count) }

    /// How many prompts this run covers (0 for a shard past the last prompt).
    public var sampleCount: Int { (shard ?? .whole).size(of: prompts.count) }

    /// One phrase naming the first thing that differs from `other` ("settings.max_tokens: 16 there, 32 here"), nil when none does.
    package func difference(from other: RunManifest, ignoringShard: Bool = false) -> String? {
        func differs<T: Equatable>(_ name: String, _ mine: T, _ theirs: T, _ text: (T) -> String) -> String? {
            mine == theirs ? nil : "\(name): \(text(theirs)) there, \(text(mine)) here"
        }
        var model = self.model, otherModel = other.model
        model.path = ""
        otherModel.path = ""
        let checks: [String?] = [
            differs("attnscope version", attnscopeVersion, other.attnscopeVersion) { $0 },
            differs("checkpoint", checkpointDigest, other.checkpointDigest) { "digest \($0)" },
            differs("model", model, otherModel) { "\($0.family) \($0.variant), \($0.layers) blocks" },
            differs("settings.sink_epsilon", settings.sinkEpsilon, other.settings.sinkEpsilon) { "\($0)" },
            differs("settings.max_tokens", settings.maxTokens, other.settings.maxTokens) {
                $0.map(String.init) ?? "none"
            },
            differs("settings.add_bos", settings.addBOS, other.settings.addBOS) { $0 },
            differs("settings.variant", settings.variant, other.settings.variant) { $0 },
            differs("prompts", prompts, other.prompts) { "\($0.count) prompts, digest \($0.digest)" },
            ignoringShard ? nil : differs("shard", shard, other.shard) { $0?.description ?? "none" },
        ]
        return checks.compactMap { $0 }.first
    }

    enum CodingKeys: String, CodingKey {
        case model, settings, prompts, shard
        case attnscopeVersion = "attnscope_version"
        case checkpointDigest = "checkpoint_digest"
    }
}

/// Which prompts a run was asked to analyze: their number and a fingerprint of their text and ids.
public struct PromptSetIdentity: Codable, Sendable, Equatable {
    /// The number of prompts.
    public var count: Int
    /// A fingerprint of the prompts' text and ids.
    public var digest: String

    package init(_ prompts: [Prompt]) {
        count = prompts.count
        digest = Digest.prompts(prompts)
    }

    /// Reads the identity, refusing a set of no prompts.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        digest = try container.decode(String.self, forKey: .digest)
        guard count >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .count, in: container, debugDescription: "a prompt set of \(count) prompts")
        }
    }

    enum CodingKeys: String, CodingKey { case count, digest }
}

/// The version of attnscope that writes run folders.
public enum AttnScopeVersion {
    /// This build's version.
    public static let current = "0.3.0"
}
