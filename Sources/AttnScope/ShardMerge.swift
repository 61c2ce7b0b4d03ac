import AttnAnalysis
import AttnCheckpoint
import Foundation

/// Merges the run folders of `analyze --shard K/N` into the folder one run
/// over every prompt would have written (`attnscope merge`).
///
/// The shards must come from one run (same checkpoint, prompts, settings and
/// attnscope version) and cover it exactly once, each finished. Samples are
/// copied line by line in prompt order; summaries merge exactly (Chan et al.),
/// never by re-averaging means.
package enum ShardMerge {
    /// Merges `shards` (run folders) into `folder`: `run.json`, `samples.jsonl`,
    /// `metrics.json`, the `attention/` maps and, when asked, the figures
    /// (legend: `label`, or the checkpoint's name).
    package static func merge(
        _ shards: [URL], into folder: URL, figures: Bool, label: String? = nil
    ) throws -> MetricsDocument {
        let documents = try shards.map { shard in
            let url = shard.appendingPathComponent(MetricsDocument.fileName)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ScopeError.badInput(
                    "\(shard.path): no \(MetricsDocument.fileName); the shard has not finished (run its analyze command again to resume it)"
                )
            }
            return (url: url, document: try MetricsDocument.read(from: url))
        }
        let ordered = try coverage(documents)
        let first = ordered[0].document.run
        var run = first
        run.shard = nil
        guard !shards.contains(where: { $0.standardizedFileURL.path == folder.standardizedFileURL.path }) else {
            throw ScopeError.usage("merge: the output folder \(folder.path) is one of the shards")
        }
        try OutputFile.makeFolder(folder)
        try OutputFile.remove(folder.appendingPathComponent(MetricsDocument.fileName))
        try JSONFile.write(run, to: folder.appendingPathComponent(RunManifest.fileName), durable: true)

        // Prompt i sits in shard i mod N, in order: interleave their lines.
        let readers = try ordered.map {
            try LineReader(url: $0.url.deletingLastPathComponent().appendingPathComponent(SamplesFile.fileName))
        }
        let writer = try LineWriter(url: folder.appendingPathComponent(SamplesFile.fileName), keeping: nil)
        var summary = DatasetSummary()
        for index in 0..<run.prompts.count {
            let shard = index % ordered.count, file = readers[shard].path
            guard let line = readers[shard].next() else {
                if readers[shard].endsTorn {
                    throw SamplesFile.tornError(URL(fileURLWithPath: file), line: index / ordered.count + 1)
                }
                throw ScopeError.badInput("\(file): sample \(index) is missing")
            }
            let record: SampleRecord
            do { record = try JSONDecoder().decode(SampleRecord.self, from: line) } catch {
                throw ScopeError.badInput("\(file): sample \(index) is not a sample record")
            }
            if let problem = record.problem(expectedIndex: index, model: run.model) {
                throw ScopeError.badInput("\(file): \(problem)")
            }
            try writer.append(line + Data("\n".utf8))
        }
        for (reader, shard) in zip(readers, ordered) {
            guard reader.next() == nil else {
                throw ScopeError.badInput(
                    "\(reader.path): more samples than shard \(shard.document.run.shard ?? .whole) has")
            }
            if reader.endsTorn {
                throw SamplesFile.tornError(URL(fileURLWithPath: reader.path), line: shard.document.summary.samples + 1)
            }
            summary = try summary.merged(with: shard.document.summary)
        }
        try copyMaps(from: ordered.map { $0.url.deletingLastPathComponent() }, to: folder)
        return try RunFolder.finish(
            MetricsDocument(run: run, summary: summary), samples: writer, in: folder, figures: figures,
            label: label ?? checkpointLabel(for: URL(fileURLWithPath: run.model.path)))
    }

    /// The documents ordered by shard index, after checking that they belong
    /// to one run, are each complete, and cover it exactly once.
    static func coverage(
        _ documents: [(url: URL, document: MetricsDocument)]
    ) throws -> [(url: URL, document: MetricsDocument)] {
        guard let first = documents.first else { throw ScopeError.usage("merge needs at least one shard folder") }
        let count = (first.document.run.shard ?? .whole).count
        var byIndex: [Int: (url: URL, document: MetricsDocument)] = [:]
        for entry in documents {
            let run = entry.document.run, shard = run.shard ?? .whole
            if let difference = run.difference(from: first.document.run, ignoringShard: true) {
                throw ScopeError.badInput(
                    "\(entry.url.path): not a shard of the run in \(first.url.path) (\(difference))")
            }
            guard shard.count == count else {
                throw ScopeError.badInput(
                    "\(entry.url.path): shard \(shard) of a \(shard.count)-way split, not of \(count)")
            }
            if let other = byIndex[shard.index] {
                throw ScopeError.badInput(
                    "\(entry.url.path): shard \(shard) overlaps \(other.url.path), the same shard")
            }
            let expected = shard.size(of: run.prompts.count)
            guard entry.document.summary.samples == expected else {
                throw ScopeError.badInput(
                    "\(entry.url.path): shard \(shard) summarizes \(entry.document.summary.samples) samples, not its \(expected)"
                )
            }
            byIndex[shard.index] = entry
        }
        guard byIndex.count == count else {
            // `count` comes from a file: name at most five gaps, found among the first given + 5 indices.
            let missing = Array((1...count).lazy.filter { byIndex[$0] == nil }.prefix(5))
            let more = count - byIndex.count > missing.count ? ", …" : ""
            throw ScopeError.badInput(
                "shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(count)" }.joined(separator: ", "))\(more) missing: the shards cover \(byIndex.count) of \(count)"
            )
        }
        return (1...count).compactMap { byIndex[$0] }
    }

    /// Replaces `folder/attention` with every shard's saved `.npy` maps: only regular files
    /// (a link, FIFO or device among them is refused, never opened) of a map's name, each read
    /// and checked as `render` reads it, then written anew.
    static func copyMaps(from shards: [URL], to folder: URL) throws {
        let destination = folder.appendingPathComponent("attention", isDirectory: true)
        try OutputFile.removeFolder(destination)
        for shard in shards {
            let source = shard.appendingPathComponent("attention", isDirectory: true)
            for name in try OutputFile.names(in: source) where name.hasSuffix(".npy") {
                let file = source.appendingPathComponent(name)
                let data = try InputFile.contents(of: file, limit: InputFile.Limit.array, followingLinks: false)
                _ = try NPYFile.read(from: file, contents: data)
                try OutputFile.write(data, to: destination.appendingPathComponent(name))
            }
        }
    }
}
