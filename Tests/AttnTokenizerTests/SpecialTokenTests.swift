import AttnTokenizer
import Testing

/// BOS/EOS and `[CLS]`/`[SEP]` as the file says, and the caller's override.
@Suite("Special tokens")
struct SpecialTokenTests {
    @Test("SmolLM2: the GGUF says no BOS; asking for special tokens prepends it")
    func smolLM2() throws {
        let tokenizer = try TestTokenizers.smolLM2()
        #expect(tokenizer.kind == "byte-level BPE")
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.bosTokenID == 1)
        let plain = try tokenizer.encode("Hello world")
        #expect(plain == [19556, 905])
        #expect(try tokenizer.encode("Hello world", addSpecialTokens: true) == [1, 19556, 905])
        #expect(try tokenizer.encode("Hello world", addSpecialTokens: false) == plain)
        #expect(try tokenizer.encode("<|im_start|>user") == [1, 4093])
    }

    @Test("MiniLM: [CLS] … [SEP] from the post-processor, none on request")
    func miniLM() throws {
        let tokenizer = try TestTokenizers.miniLM()
        #expect(tokenizer.kind == "WordPiece")
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.bosTokenID == 101)
        #expect(try tokenizer.encode("") == [101, 102])
        #expect(try tokenizer.encode("", addSpecialTokens: false) == [])
        #expect(try tokenizer.encode("Hi [MASK]!", addSpecialTokens: false) == [7632, 103, 999])
    }
}
