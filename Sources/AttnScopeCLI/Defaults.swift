import AttnScope
import Foundation

/// Where the main job finds its checkpoint and prompts, relative to the
/// working directory (the repository root after `.ci/setup`).
enum Defaults {
    /// `$ATTNSCOPE_CHECKPOINTS`, or `notebooks-data/checkpoints`.
    static var checkpointsFolder: URL {
        if let path = ProcessInfo.processInfo.environment["ATTNSCOPE_CHECKPOINTS"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return URL(fileURLWithPath: "notebooks-data/checkpoints", isDirectory: true)
    }

    /// SmolLM2-135M-Instruct (Q4_1), fetched by `.ci/setup`.
    static var checkpoint: URL { checkpointsFolder.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf") }

    /// The bundled prompt set: passages of Shakespeare and Milton.
    static let prompts = URL(fileURLWithPath: "notebooks-data/prompts/shakespeare.jsonl")

    /// `outputs/<checkpoint name>`.
    static func outputFolder(for checkpoint: URL) -> URL {
        URL(fileURLWithPath: "outputs", isDirectory: true).appendingPathComponent(
            checkpointLabel(for: checkpoint), isDirectory: true)
    }

    /// The default checkpoint, or an error saying how to fetch it.
    static func requireDefaultCheckpoint() throws -> URL {
        let url = checkpoint
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ScopeError.badInput(
                "no checkpoint given and the default \(url.path) is missing: run `bash .ci/setup` from the repository root, or pass a checkpoint path"
            )
        }
        return url
    }
}
