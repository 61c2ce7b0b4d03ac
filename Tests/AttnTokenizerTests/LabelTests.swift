import AttnTokenizer
import Testing

/// Token labels for plots: visible whitespace, safe partial UTF-8, special tokens as written.
@Suite("Token labels")
struct LabelTests {
    @Test("byte-level tokens decode to text with visible whitespace")
    func byteLevelWhitespace() throws {
        let tokenizer = try TestTokenizers.smolLM2()
        let the = try tokenizer.encode(" the")
        try #require(the.count == 1)
        #expect(tokenizer.token(the[0]) == "Ġthe")
        #expect(tokenizer.label(the[0]) == "␣the")
        #expect(try tokenizer.encode("\n").map(tokenizer.label) == ["↵"])
        #expect(try tokenizer.encode("a\tb").map(tokenizer.label) == ["a", "⇥", "b"])
        #expect(try tokenizer.encode("é").map(tokenizer.label) == ["é"])
    }

    @Test("partial UTF-8 is shown byte by byte")
    func partialUTF8() throws {
        let tokenizer = try TestTokenizers.fixture("bpe-tiny")
        let ids = try tokenizer.encode("😀")
        #expect(ids.count > 1)
        #expect(ids.map(tokenizer.label).joined() == "<0xF0><0x9F><0x98><0x80>")
    }

    @Test("special and WordPiece tokens are shown as written")
    func asWritten() throws {
        let smol = try TestTokenizers.smolLM2()
        #expect(smol.label(1) == "<|im_start|>")
        let miniLM = try TestTokenizers.miniLM()
        #expect(try miniLM.encode("playing", addSpecialTokens: false).map(miniLM.label) == ["playing"])
        #expect(try miniLM.encode("tokenization").map(miniLM.label) == ["[CLS]", "token", "##ization", "[SEP]"])
    }

    @Test("ids outside the vocabulary")
    func outside() throws {
        let tokenizer = try TestTokenizers.fixture("bpe-tiny")
        #expect(tokenizer.vocabularySize == 500)
        #expect(tokenizer.token(500) == nil)
        #expect(tokenizer.token(-1) == nil)
        #expect(tokenizer.label(-1) == "<id -1>")
    }
}
