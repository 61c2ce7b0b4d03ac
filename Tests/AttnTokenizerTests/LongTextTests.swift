import AttnTokenizer
import Testing

/// 1 MB of English: copies of a prose chunk give the chunk's ids repeated; the speed is printed, not asserted.
@Suite("Long text")
struct LongTextTests {
    @Test("1 MB of repeated English prose through the SmolLM2 tokenizer")
    func repeatedProse() throws {
        let tokenizer = try TestTokenizers.smolLM2()
        let lines = Golden.strings
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { line in
                line.count > 20 && line.unicodeScalars.allSatisfy { $0.isASCII && $0 != "<" && $0.value >= 0x20 }
            }
        try #require(lines.count > 100)
        // Starts with a letter and ends with one newline after a non-space, so copies tokenize independently.
        let chunk = lines.joined(separator: "\n") + "\n"
        let copies = (1 << 20) / chunk.utf8.count + 1
        let text = String(repeating: chunk, count: copies)
        let chunkIDs = try tokenizer.encode(chunk)
        let clock = ContinuousClock()
        var ids: [Int] = []
        let elapsed = try clock.measure { ids = try tokenizer.encode(text) }
        print("long text: \(text.utf8.count) bytes -> \(ids.count) tokens in \(elapsed)")
        #expect(chunkIDs.count > 1000)
        #expect(ids == Array([[Int]](repeating: chunkIDs, count: copies).joined()))
    }
}
