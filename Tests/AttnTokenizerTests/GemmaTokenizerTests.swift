import AttnCheckpoint
import AttnTokenizer
import Testing

/// The Gemma 3 270M GGUF vocabulary (SentencePiece BPE with merges derived from the vocabulary): what the
/// file says, labels, and long text.
@Suite("Gemma 3 GGUF tokenizer")
struct GemmaTokenizerTests {
    @Test("kind, size, BOS from add_bos_token, control and user-defined tokens whole")
    func metadata() throws {
        let tokenizer = try TestTokenizers.gemma3()
        #expect(tokenizer.kind == "SentencePiece BPE")
        #expect(tokenizer.vocabularySize == 262_144)
        #expect(tokenizer.bosTokenID == 2)
        #expect(tokenizer.eosTokenID == 1)
        #expect(try tokenizer.encode("Hello world") == [2, 9259, 1902])
        #expect(try tokenizer.encode("Hello world", addSpecialTokens: false) == [9259, 1902])
        #expect(
            try tokenizer.encode("<start_of_turn>user\n", addSpecialTokens: false).map(tokenizer.label) == [
                "<start_of_turn>", "user", "↵",
            ])
    }

    @Test("labels: ▁ as a space, byte tokens as bytes, whitespace tokens visible")
    func labels() throws {
        let tokenizer = try TestTokenizers.gemma3()
        #expect(
            try tokenizer.encode(" hi  there\n\n", addSpecialTokens: false).map(tokenizer.label) == [
                "␣hi", "␣␣", "there", "↵↵",
            ])
        #expect(tokenizer.token(238) == "<0x00>")
        #expect(tokenizer.label(238) == "<0x00>")
        #expect(tokenizer.label(493) == "<0xFF>")
        #expect(try tokenizer.encode("\u{7}", addSpecialTokens: false).map(tokenizer.label) == ["<0x07>"])
    }

    /// Lines end in a newline, which is a user-defined token matched whole, so every copy of the chunk gives the
    /// chunk's ids; the speed is printed, not asserted.
    @Test("190 kB of repeated English prose")
    func repeatedProse() throws {
        let tokenizer = try TestTokenizers.gemma3()
        let lines = Golden.strings.filter { line in
            line.count > 20 && line.unicodeScalars.allSatisfy { $0.isASCII && $0 != "<" && $0.value >= 0x20 }
        }
        try #require(lines.count > 100)
        let chunk = lines.joined(separator: "\n") + "\n"
        let copies = 10
        let text = String(repeating: chunk, count: copies)
        let chunkIDs = try tokenizer.encode(chunk, addSpecialTokens: false)
        let clock = ContinuousClock()
        var ids: [Int] = []
        let elapsed = try clock.measure { ids = try tokenizer.encode(text, addSpecialTokens: false) }
        print("gemma3 long text: \(text.utf8.count) bytes -> \(ids.count) tokens in \(elapsed)")
        #expect(chunkIDs.count > 5000)
        #expect(ids == Array([[Int]](repeating: chunkIDs, count: copies).joined()))
    }
}
