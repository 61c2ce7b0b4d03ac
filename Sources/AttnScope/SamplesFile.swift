import AttnAnalysis
import AttnCheckpoint
import Foundation

/// `samples.jsonl`: a run's samples as JSON lines, one per finished sample,
/// in prompt order; appended to as the run goes, read back line by line.
package enum SamplesFile {
    /// The file's name in a run folder.
    package static let fileName = "samples.jsonl"

    /// Reads the complete lines of `url` one at a time (a trailing line without
    /// a newline, left by a killed run, is not handed over). `body` gets the
    /// line's bytes, its decoded record and its 1-based line number.
    /// Returns the byte length of the complete lines.
    /// With `finished` (the run's metrics.json says it is done), a torn last line is an error instead.
    @discardableResult
    package static func forEachRecord(
        in url: URL, finished: Bool = false, _ body: (Data, SampleRecord, Int) throws -> Void
    ) throws -> Int {
        let reader = try LineReader(url: url)
        var number = 0
        while let line = reader.next() {
            number += 1
            let record: SampleRecord
            do { record = try JSONDecoder().decode(SampleRecord.self, from: line) } catch let error as DecodingError {
                throw ScopeError.badInput("\(url.path):\(number): not a sample record (\(error.oneLineDescription))")
            }
            try body(line, record, number)
        }
        if finished, reader.endsTorn { throw tornError(url, line: number + 1) }
        return reader.completeLength
    }

    /// The refusal of a finished run's file that ends in a line cut short.
    static func tornError(_ url: URL, line: Int) -> ScopeError {
        .badInput(
            "\(url.path):\(line): the run is marked finished but its last line is torn (cut off mid-write); run its analyze command again to repair it"
        )
    }

    /// Reads `url`'s complete lines as `model`'s samples `indices[0…]` in order; returns the byte length they take.
    /// `finished`: the file belongs to a finished run, so a torn last line is refused rather than skipped.
    static func checkedRecords(
        in url: URL, indices: StrideTo<Int>, model: ModelInfo, finished: Bool = false,
        _ body: (Data, SampleRecord) throws -> Void
    ) throws -> Int {
        var expected = indices.makeIterator()
        return try forEachRecord(in: url, finished: finished) { line, record, number in
            guard let index = expected.next() else {
                throw ScopeError.badInput("\(url.path):\(number): more samples than the run has")
            }
            if let problem = record.problem(expectedIndex: index, model: model) {
                throw ScopeError.badInput("\(url.path):\(number): \(problem)")
            }
            try body(line, record)
        }
    }
}

/// Reads a file's newline-terminated lines one at a time, without the newline.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    let path: String
    /// Bytes of the lines handed out so far, newlines included.
    private(set) var completeLength = 0
    /// Whether the file ended in a line without a newline (a write cut short), once ``next()`` has returned nil.
    private(set) var endsTorn = false

    init(url: URL) throws {
        let (descriptor, _) = try InputFile.openRegular(url.path)  // a FIFO would block fopen
        guard let file = fdopen(descriptor, "r") else {
            close(descriptor)
            throw ScopeError.badInput("\(url.path): cannot read (\(String(cString: strerror(errno))))")
        }
        self.file = file
        path = url.path
    }

    deinit { fclose(file) }

    /// The next complete line, or nil at the end (or at a trailing partial line).
    func next() -> Data? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let length = getline(&buffer, &capacity, file)
        guard length > 0, let buffer, buffer[length - 1] == 0x0A else {
            endsTorn = length > 0
            return nil
        }
        completeLength += length
        return Data(bytes: buffer, count: length - 1)
    }
}

/// Appends whole lines to a file, each with one `write`, so a killed run
/// leaves at most a partial last line (which readers skip and resume trims).
/// The file is opened through ``OutputFile``: never through a link, never a FIFO.
final class LineWriter {
    private let descriptor: Int32
    private let url: URL

    /// Opens `url` for appending, first cutting it to `length` bytes (nil: to nothing).
    init(url: URL, keeping length: Int?) throws {
        self.url = url
        descriptor = try OutputFile.openForAppending(url, keeping: length)
    }

    deinit { close(descriptor) }

    /// Appends `line` (which ends in a newline).
    func append(_ line: Data) throws {
        try OutputFile.writeAll(line, to: descriptor, path: url.path)
    }

    /// Flushes the lines written so far, and the folder's entry for the file, to the disk.
    func sync() throws {
        try OutputFile.sync(descriptor, path: url.path)
        try OutputFile.syncFolder(url.deletingLastPathComponent())
    }
}
