import AttnCheckpoint
import AttnTokenizer
import Foundation
import Testing

/// Small hand-written `tokenizer.json` files: format variants, exact vocabulary keys, and errors.
@Suite("tokenizer.json variants and errors")
struct JSONFormatTests {
    /// Writes `json` to a temporary `tokenizer.json` and loads it.
    private func load(_ json: String) throws -> Tokenizer {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attnscope-tok-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try Tokenizer.load(tokenizerJSON: url)
    }

    /// The error `body` throws.
    private func error(_ body: () throws -> Tokenizer) throws -> TokenizerError {
        do {
            _ = try body()
        } catch let error as TokenizerError {
            return error
        }
        throw TokenizerError(file: "test", key: "-", message: "no error thrown")
    }

    private let wordPiece = #"""
        {"added_tokens": [{"id": 0, "content": "[UNK]", "special": true, "normalized": false},
                          {"id": 1, "content": "[CLS]", "special": true, "normalized": false},
                          {"id": 2, "content": "[SEP]", "special": true, "normalized": false}],
         "normalizer": null, "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]},
         "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                   "max_input_chars_per_word": 5,
                   "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "\u00e9": 3, "e\u0301": 4, "ab": 5, "##c": 6, "!": 7}}}
        """#

    @Test("canonically equivalent vocabulary entries stay distinct")
    func exactKeys() throws {
        let tokenizer = try load(wordPiece)
        #expect(try tokenizer.encode("\u{e9}", addSpecialTokens: false) == [3])
        #expect(try tokenizer.encode("e\u{301}", addSpecialTokens: false) == [4])
        #expect(tokenizer.token(3)?.unicodeScalars.count == 1)
        #expect(tokenizer.token(4)?.unicodeScalars.count == 2)
    }

    @Test("BertProcessing, ## continuations, whole-word [UNK], max_input_chars_per_word")
    func wordPieceRules() throws {
        let tokenizer = try load(wordPiece)
        #expect(try tokenizer.encode("abc!") == [1, 5, 6, 7, 2])
        #expect(try tokenizer.encode("abx ab", addSpecialTokens: false) == [0, 5])
        #expect(try tokenizer.encode("abcccc ab", addSpecialTokens: false) == [0, 5])
        #expect(try tokenizer.encode("abccc", addSpecialTokens: false) == [5, 6, 6, 6])
    }

    @Test("merges written as \"a b\" strings")
    func stringMerges() throws {
        let tokenizer = try load(
            #"""
            {"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "Ġ": 2, "ab": 3, "Ġab": 4}, "merges": ["a b", "Ġ ab"]}}
            """#)
        #expect(try tokenizer.encode("ab ab ba") == [3, 4, 2, 1, 0])
    }

    @Test("NFKC and Lowercase normalizers before a byte-level BPE")
    func normalizers() throws {
        let tokenizer = try load(
            #"""
            {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
             "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                 {"type": "Digits", "individual_digits": false}, {"type": "ByteLevel", "use_regex": false}]},
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "1": 2, "ab": 3, "11": 4}, "merges": [["a", "b"], ["1", "1"]]}}
            """#)
        #expect(try tokenizer.encode("\u{FF21}B11") == [3, 4])
        #expect(try tokenizer.encode("ab1ab") == [3, 2, 3])
    }

    @Test("errors name the file and the key")
    func errors() throws {
        let json = try error { try load(#"{"model": [}"#) }
        #expect(json.file.hasSuffix(".json") && json.key == "byte offset 11")
        let type = try error { try load(#"{"model": {"type": "Unigram", "vocab": {}}}"#) }
        #expect(type.key == "model.type")
        let merge = try error {
            try load(
                #"{"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#
            )
        }
        #expect(merge.key == "model.merges[0]")
        #expect(!merge.description.contains("\n") && merge.description.contains(merge.file))
        let missing = try #require(throws: CheckpointError.self) {
            try Tokenizer.load(tokenizerJSON: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        }
        #expect(missing.file == "/nonexistent/tokenizer.json")
    }

    @Test("unsupported GGUF tokenizers are refused by key")
    func ggufErrors() throws {
        let t5 = try error { try Tokenizer(gguf: GGUFTokenizerData(model: "t5", tokens: ["a"])) }
        #expect(t5.key == "tokenizer.ggml.model")
        let phi3 = try error {
            try Tokenizer(gguf: GGUFTokenizerData(architecture: "phi3", model: "llama", tokens: ["a"]))
        }
        #expect(phi3.key == "general.architecture")
        let scores = try error {
            try Tokenizer(gguf: GGUFTokenizerData(architecture: "llama", model: "llama", tokens: ["<unk>"]))
        }
        #expect(scores.key == "tokenizer.ggml.scores")
        let noPrefix = try error {
            try Tokenizer(
                gguf: GGUFTokenizerData(
                    architecture: "llama", model: "llama", tokens: ["<unk>"], scores: [0], addSpacePrefix: false))
        }
        #expect(noPrefix.key == "tokenizer.ggml.add_space_prefix")
        let prefix = try error {
            try Tokenizer(
                gguf: GGUFTokenizerData(architecture: "gemma3", model: "llama", tokens: ["<unk>"], addSpacePrefix: true)
            )
        }
        #expect(prefix.key == "tokenizer.ggml.add_space_prefix")
        let spPre = try error {
            try Tokenizer(
                gguf: GGUFTokenizerData(architecture: "gemma3", model: "llama", pre: "llama-bpe", tokens: ["<unk>"]))
        }
        #expect(spPre.key == "tokenizer.ggml.pre")
        let unknown = try error {
            try Tokenizer(gguf: GGUFTokenizerData(architecture: "gemma3", model: "llama", tokens: ["a"]))
        }
        #expect(unknown.key == "tokenizer.ggml.unknown_token_id")
        let mask = try error {
            try Tokenizer(
                gguf: GGUFTokenizerData(architecture: "gemma3", model: "llama", tokens: ["<unk>"], unknownTokenID: 0))
        }
        #expect(mask.key == "tokenizer.ggml.tokens")
        let pre = try error { try Tokenizer(gguf: GGUFTokenizerData(model: "gpt2", pre: "mystery", tokens: ["a"])) }
        #expect(pre.key == "tokenizer.ggml.pre")
        let merge = try error { try Tokenizer(gguf: GGUFTokenizerData(model: "gpt2", tokens: ["a"], merges: ["a"])) }
        #expect(merge.key == "tokenizer.ggml.merges[0]")
    }
}
