import AttnCheckpoint
import Foundation

/// Reads and writes JSON documents, with errors that name the file and key.
enum JSONFile {
    /// Writes `value` as compact, key-sorted JSON through ``OutputFile`` (never through a link);
    /// `durable`: on the disk before returning.
    static func write<T: Encodable>(_ value: T, to url: URL, durable: Bool = false) throws {
        let encoder = JSONEncoder()
        // compact: 240 samples × 30 blocks is tens of MB pretty-printed
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try OutputFile.write(try encoder.encode(value), to: url, durable: durable)
    }

    static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data = try InputFile.contents(of: url, limit: InputFile.Limit.document)
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw ScopeError.badInput("\(url.path): \(error.oneLineDescription)")
        }
    }
}
