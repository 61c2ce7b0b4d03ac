import AttnAnalysis
import AttnModel
import AttnScope
import Foundation
import TestSupport

/// The targets for run folders attnscope finds already there: a mutated folder resumed by `analyze`,
/// mutated shards merged. The first byte of an input plants hostile entries (a link to a file
/// outside the folder, a FIFO) where the job writes or reads; whatever the job does, it must end,
/// and the file outside must hold what it held (else the target traps: a finding).
enum FuzzRunFolder {
    // Computed, not stored: a static holding heap memory reads as a leak to LeakSanitizer (FuzzText.normalizer).
    /// The prompt set the seeds were written with: two token-id prompts.
    static var prompts: [Prompt] { [Prompt(tokenIDs: [1, 2, 3, 4, 5]), Prompt(tokenIDs: [9, 8, 7])] }
    /// What the file outside every run folder holds.
    static var outsideText: Data { Data("outside the run folder".utf8) }

    /// `data`: a flag byte, then `run.json`, NUL, `samples.jsonl`, NUL, `metrics.json`; the job resumes that folder.
    static func resume(_ data: Data) {
        // Loaded for every input: a model cached in a static reads as a leak to LeakSanitizer (FuzzText.normalizer).
        guard let flags = data.first, let loaded = try? LoadedModel(url: Fixtures.url("models/llama-tiny")) else {
            return
        }
        let parts = split(data.dropFirst(), count: 3)
        let folder = FuzzScratch.emptyFolder("resume")
        let outside = FuzzScratch.write("outside.txt", outsideText)
        _ = FuzzScratch.emptyFolder("outside")
        let names = ["run.json", "samples.jsonl", "metrics.json"]
        for (i, name) in names.enumerated() where !parts[i].isEmpty {
            FuzzScratch.write("resume/\(name)", parts[i])
        }
        plant(flags, in: folder, outside: outside, names: names + ["attention", "attention/sample-000-layer-00.npy"])
        let job = AnalysisJob(loaded: loaded, prompts: prompts, figures: flags & 0x80 != 0, label: "fuzz")
        _ = try? job.run(into: folder)
        checkOutside(outside, "resume")
    }

    /// `data`: a flag byte, then two shards' `metrics.json`, NUL, `samples.jsonl` each (NUL-separated, in
    /// shard order); they are merged.
    static func merge(_ data: Data) {
        guard let flags = data.first else { return }
        let parts = split(data.dropFirst(), count: 4)
        let root = FuzzScratch.emptyFolder("merge")
        let outside = FuzzScratch.write("outside.txt", outsideText)
        _ = FuzzScratch.emptyFolder("outside")
        var shards: [URL] = []
        for k in 0..<2 {
            let shard = root.appendingPathComponent("s\(k + 1)", isDirectory: true)
            FuzzScratch.write("merge/s\(k + 1)/metrics.json", parts[2 * k])
            FuzzScratch.write("merge/s\(k + 1)/samples.jsonl", parts[2 * k + 1])
            shards.append(shard)
        }
        plant(
            flags, in: shards[1], outside: outside,
            names: ["attention", "attention/sample-001-layer-00.npy", "samples.jsonl"])
        plant(
            flags >> 4, in: root.appendingPathComponent("out", isDirectory: true), outside: outside,
            names: ["samples.jsonl", "metrics.json", "attention", "run.json"])
        _ = try? ShardMerge.merge(
            shards, into: root.appendingPathComponent("out", isDirectory: true), figures: flags & 0x08 != 0)
        checkOutside(outside, "merge")
    }

    /// `data` cut at its first `count - 1` NUL bytes into `count` parts (missing parts empty).
    static func split(_ data: Data, count: Int) -> [Data] {
        var parts = data.split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false).map { Data($0) }
        while parts.count < count { parts.append(Data()) }
        return parts
    }

    /// Plants, for the low bits of `flags` in turn, a link to the file `outside` (bit 0), a link to the
    /// empty folder ``outsideFolder`` (bit 1) or a FIFO (bit 2) at `names[bit index % names.count]`
    /// rotated by bit 3, replacing what is there.
    static func plant(_ flags: UInt8, in folder: URL, outside: URL, names: [String]) {
        let shift = Int(flags >> 3 & 1)
        for bit in 0..<3 where flags & (1 << bit) != 0 {
            let url = folder.appendingPathComponent(names[(bit + shift) % names.count])
            try? FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: url)
            switch bit {
            case 0: try? FileManager.default.createSymbolicLink(at: url, withDestinationURL: outside)
            case 1: try? FileManager.default.createSymbolicLink(at: url, withDestinationURL: outsideFolder)
            default: _ = mkfifo(url.path, 0o644)
            }
        }
    }

    /// An empty folder outside every run folder, made anew for each input.
    static var outsideFolder: URL { FuzzScratch.folder.appendingPathComponent("outside", isDirectory: true) }

    /// Traps unless the file and folder outside the run folders hold what they held.
    static func checkOutside(_ outside: URL, _ what: String) {
        precondition((try? Data(contentsOf: outside)) == outsideText, "\(what) changed a file outside the run folder")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outsideFolder.path)) ?? ["missing"]
        precondition(names.isEmpty, "\(what) wrote \(names) into a folder outside the run folder")
    }
}
