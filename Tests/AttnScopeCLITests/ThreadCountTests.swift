import Foundation
import Testing
import TestSupport

/// `analyze --threads 1`, `2` and `3` write byte-identical `samples.jsonl`:
/// how products, projection tiles and attention blocks are cut, and the order
/// their results meet in, do not depend on the thread count.
@Suite("the same bytes at any thread count", .serialized)
struct ThreadCountTests {
    /// A prompt file of one prompt per length, token ids spread over `vocabulary`.
    static func prompts(lengths: [Int], vocabulary: Int, in folder: URL) throws -> URL {
        let lines = lengths.map { n in "{\"token_ids\": \((0..<n).map { ($0 * 37 + n * 11) % (vocabulary - 3) + 3 })}" }
        let url = folder.appendingPathComponent("prompts.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// `samples.jsonl` of `analyze checkpoint` on `prompts` with each thread count.
    static func samples(_ checkpoint: URL, _ prompts: URL, threads: [Int], in folder: URL) throws -> [Data] {
        try threads.map { n in
            let out = folder.appendingPathComponent("threads-\(n)")
            let result = try CommandLineRunner.run(
                [
                    "analyze", checkpoint.path, "--prompts", prompts.path, "--out", out.path, "--no-figures", "--quiet",
                    "--threads", String(n),
                ],
                timeout: 600)
            #expect(result.status == 0, "--threads \(n): \(result.stderr)")
            return try Data(contentsOf: out.appendingPathComponent("samples.jsonl"))
        }
    }

    /// SmolLM2-135M at 5, 130 and 300 tokens: products big enough to be cut
    /// into row slices and run in parallel, 1 to 3 attention row blocks.
    @Test func smolLM2SamplesAreTheSameOnOneTwoAndThreeThreads() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.prompts(lengths: [5, 130, 300], vocabulary: 49152, in: folder)
        let runs = try Self.samples(try Fixtures.require(Fixtures.smolLM2), prompts, threads: [1, 2, 3], in: folder)
        #expect(runs[0].split(separator: UInt8(ascii: "\n")).count == 3)
        #expect(runs[1] == runs[0], "2 threads differ from 1")
        #expect(runs[2] == runs[0], "3 threads differ from 1")
    }

    /// The tiny Gemma 3 (sliding-window and global blocks, grouped heads) up to its 128 positions.
    @Test func tinyGemma3SamplesAreTheSameOnOneTwoAndThreeThreads() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let prompts = try Self.prompts(lengths: [3, 64, 128], vocabulary: 512, in: folder)
        let runs = try Self.samples(Fixtures.url("models/gemma3-tiny"), prompts, threads: [1, 2, 3], in: folder)
        #expect(runs[0].split(separator: UInt8(ascii: "\n")).count == 3)
        #expect(runs[1] == runs[0], "2 threads differ from 1")
        #expect(runs[2] == runs[0], "3 threads differ from 1")
    }
}
