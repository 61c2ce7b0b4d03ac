import AttnCheckpoint
import AttnTokenizer
import Foundation
import Testing
import TestSupport

/// Every golden string must give exactly the Hugging Face ids, with and without special tokens.
@Suite("Golden ids from Hugging Face tokenizers")
struct GoldenTests {
    /// Compares `tokenizer` with the golden file `name`; records each mismatch with the string and both id lists.
    private func check(_ tokenizer: Tokenizer, against name: String) throws {
        let golden = try Golden.load(name)
        let strings = Golden.strings
        try #require(strings.count >= 500)
        try #require(golden.ids.count == strings.count)
        var mismatches = 0
        for (text, expected) in zip(strings, golden.ids) {
            let ids = try tokenizer.encode(text)
            let plain = try tokenizer.encode(text, addSpecialTokens: false)
            let expectedPlain = Array(expected.dropFirst(golden.prefix.count).dropLast(golden.suffix.count))
            if ids != expected || plain != expectedPlain {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record(
                        "\(name): \(text.debugDescription)\n  expected \(expected)\n  got      \(ids) (without specials \(plain))"
                    )
                }
            }
        }
        print("\(name): \(strings.count - mismatches)/\(strings.count) strings identical (\(golden.reference))")
        #expect(mismatches == 0)
    }

    @Test("tiny byte-level BPE, GPT-2 pre-tokenizer")
    func bpeTiny() throws {
        try check(try TestTokenizers.fixture("bpe-tiny"), against: "bpe-tiny")
    }

    @Test(
        "tiny nanochat tokenizer converted from tiktoken (nanochat_tokenizer.py), against tiktoken with <|bos|> first")
    func nanochatTiny() throws {
        try check(try TestTokenizers.fixture("nanochat-tiny"), against: "nanochat-tiny")
    }

    @Test("tiny byte-level BPE, Llama-3 split regex")
    func bpeTinyLlama3() throws {
        try check(try TestTokenizers.fixture("bpe-tiny-llama3"), against: "bpe-tiny-llama3")
    }

    @Test("all-MiniLM-L6-v2 WordPiece")
    func miniLM() throws {
        try check(try TestTokenizers.miniLM(), against: "minilm")
    }

    @Test("all-mpnet-base-v2 WordPiece: RoBERTa-style <s> … </s>, <mask> taking the space on its left")
    func mpnet() throws {
        try check(try TestTokenizers.mpnet(), against: "mpnet")
    }

    @Test("SmolLM2 GGUF vocabulary, smollm pre-tokenizer")
    func smolLM2() throws {
        try check(try TestTokenizers.smolLM2(), against: "smollm2")
    }

    @Test("tiny SentencePiece BPE, byte fallback, Metaspace pre-tokenizer")
    func spTiny() throws {
        try check(try TestTokenizers.fixture("sp-tiny"), against: "sp-tiny")
    }

    @Test("tiny SentencePiece BPE, Llama-2 normalizer (Prepend + Replace), ignore_merges")
    func spTinyLlama2() throws {
        try check(try TestTokenizers.fixture("sp-tiny-llama2"), against: "sp-tiny-llama2")
    }

    @Test("tiny SentencePiece GGUF (llama architecture), merges derived from scores with ties")
    func spTinyLlamaGGUF() throws {
        let file = try GGUFFile(url: Fixtures.url("tokenizers/sp-tiny-llama.gguf"))
        try check(try Tokenizer(gguf: TestTokenizers.tokenizerData(file.metadata)), against: "sp-tiny-llama-gguf")
    }

    @Test("Gemma 3 GGUF vocabulary, merges derived as transformers derives them")
    func gemma3() throws {
        try check(try TestTokenizers.gemma3(), against: "gemma3")
    }
}
