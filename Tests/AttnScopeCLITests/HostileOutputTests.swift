import Foundation
import Testing
import TestSupport

/// Files attnscope writes are as hostile as those it reads: whatever already sits inside `--out`
/// (a symbolic link, a FIFO, a device, a folder where a file goes) is refused with one line and
/// exit 65, quickly, and nothing outside the run folder changes. One tiny case per class found by
/// the round-3 review.
@Suite("hostile output folders", .serialized)
struct HostileOutputTests {
    static let model = Fixtures.url("models/llama-tiny").path

    /// A folder with a prompt file of two short token-id prompts, and a file outside every run folder.
    struct Scene {
        let folder: URL
        let prompts: URL
        let outside: URL

        init() throws {
            folder = try CommandLineRunner.temporaryFolder()
            prompts = folder.appendingPathComponent("prompts.jsonl")
            try "{\"token_ids\": [1, 2, 3, 4, 5]}\n{\"token_ids\": [9, 8, 7]}\n".write(
                to: prompts, atomically: true, encoding: .utf8)
            outside = folder.appendingPathComponent("outside.txt")
            try "keep me".write(to: outside, atomically: true, encoding: .utf8)
        }

        /// `analyze` of the tiny model on the prompts into `out` (inside the scene's folder).
        func analyze(_ out: String, _ extra: [String] = []) throws -> CommandLineRunner.Result {
            try CommandLineRunner.run(
                ["analyze", HostileOutputTests.model, "--prompts", prompts.path, "--out", path(out), "--quiet"] + extra,
                timeout: 60)
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        func makeFolder(_ name: String) throws {
            try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: true)
        }

        /// Whether the file outside every run folder still holds what it held.
        var outsideUnchanged: Bool { (try? String(contentsOf: outside, encoding: .utf8)) == "keep me" }
    }

    /// The places inside a run folder where attnscope writes, with what it finds there.
    static let planted: [(String, String)] = [
        ("samples.jsonl", "link"), ("samples.jsonl", "fifo"), ("run.json", "link"), ("metrics.json", "link"),
        ("metrics.json", "fifo"), ("attention", "link"), ("figures", "link"), ("figures/sink-atlas.png", "link"),
        ("attention/sample-000-layer-00.npy", "fifo"), ("samples.jsonl", "folder"),
    ]

    @Test("a link, FIFO or folder where analyze writes is refused, never followed or opened", arguments: planted)
    func plantedInsideOut(name: String, kind: String) throws {
        let scene = try Scene()
        try scene.makeFolder("out")
        let target = scene.path("out/" + name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        switch kind {
        case "link":
            let destination = name.contains(".") ? scene.outside.path : scene.folder.path
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: destination)
        case "fifo": #expect(mkfifo(target, 0o644) == 0)
        default: try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        }
        let result = try scene.analyze("out")
        HostileInputTests.expectOneLine(result, mentioning: target)
        #expect(scene.outsideUnchanged)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: scene.folder.path).sorted() == [
                "out", "outside.txt", "prompts.jsonl",
            ])
    }

    @Test("--out that is itself a symbolic link is refused")
    func linkedOut() throws {
        let scene = try Scene()
        try scene.makeFolder("elsewhere")
        try FileManager.default.createSymbolicLink(
            atPath: scene.path("out"), withDestinationPath: scene.path("elsewhere"))
        HostileInputTests.expectOneLine(try scene.analyze("out"), mentioning: "is a symbolic link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scene.path("elsewhere")).isEmpty)
    }

    @Test("an empty --out is a usage error, not the current folder")
    func emptyOut() throws {
        let scene = try Scene()
        let result = try CommandLineRunner.run(
            ["analyze", Self.model, "--prompts", scene.prompts.path, "--out", ""], in: scene.folder)
        HostileInputTests.expectOneLine(result, status: 64, mentioning: "--out")
        #expect(!FileManager.default.fileExists(atPath: scene.path("run.json")))
    }

    @Test("render's figures/ beside metrics.json that is a link is refused")
    func renderIntoLinkedFigures() throws {
        let scene = try Scene()
        #expect(try scene.analyze("out", ["--no-figures"]).status == 0)
        try scene.makeFolder("elsewhere")
        try FileManager.default.createSymbolicLink(
            atPath: scene.path("out/figures"), withDestinationPath: scene.path("elsewhere"))
        let result = try CommandLineRunner.run(["render", scene.path("out/metrics.json")])
        HostileInputTests.expectOneLine(result, mentioning: "figures")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scene.path("elsewhere")).isEmpty)
    }

    @Test(
        "merge refuses a shard's map that is a FIFO or a link, and an output that is a device or under a file",
        arguments: ["fifo", "link", "dev-null", "under-file"])
    func mergeHostile(kind: String) throws {
        let scene = try Scene()
        #expect(try scene.analyze("s1", ["--shard", "1/2", "--no-figures"]).status == 0)
        #expect(try scene.analyze("s2", ["--shard", "2/2", "--no-figures"]).status == 0)
        var out = scene.path("merged")
        let planted = scene.path("s2/attention/sample-001-layer-00.npy")
        try scene.makeFolder("s2/attention")
        switch kind {
        case "fifo": #expect(mkfifo(planted, 0o644) == 0)
        case "link":
            try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: scene.outside.path)
        case "dev-null": out = "/dev/null"
        default: out = scene.outside.path + "/merged"
        }
        let result = try CommandLineRunner.run(
            ["merge", out, scene.path("s1"), scene.path("s2"), "--no-figures"], timeout: 60)
        HostileInputTests.expectOneLine(
            result, mentioning: kind.hasPrefix("dev") || kind.hasPrefix("under") ? out : planted)
        #expect(scene.outsideUnchanged)
    }

    @Test("a write the system refuses exits 74 (EX_IOERR), not 65 or 70")
    func writeFailure() throws {
        let scene = try Scene()
        let result = try CommandLineRunner.run(
            [
                "analyze", Self.model, "--prompts", scene.prompts.path, "--out",
                "/proc/attnscope-\(UUID().uuidString)/out", "--quiet",
            ])
        HostileInputTests.expectOneLine(result, status: 74, mentioning: "cannot write")
    }
}
