import AttnCheckpoint
import Foundation

/// Reads and writes JSON documents, with errors that name the file and key.
enum JSONFile {
    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]  // compact: 240 samples × 30 blocks is tens of MB pretty-printed
        try AtomicFile.write(try encoder.encode(value), to: url)
    }

    static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data = try InputFile.contents(of: url, limit: InputFile.Limit.document)
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw ScopeError.badInput("\(url.path): \(error.oneLineDescription)")
        }
    }
}

/// Writes files through a temporary sibling and a rename, so a reader never
/// sees half a file.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw ScopeError.badInput("\(url.path): cannot write (\(error.localizedDescription))")
        }
    }
}
