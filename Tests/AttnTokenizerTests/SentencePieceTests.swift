import AttnTokenizer
import Foundation
import Testing

/// SentencePiece-style BPE on small hand-written vocabularies: Metaspace prepend schemes, byte fallback, the
/// unknown token, merges derived from a GGUF vocabulary, and the constructs that are refused.
@Suite("SentencePiece BPE")
struct SentencePieceTests {
    /// Loads `json` as a `tokenizer.json`.
    private func load(_ json: String) throws -> Tokenizer {
        try Tokenizer.load(tokenizerJSON: Data(json.utf8), file: "test.json")
    }

    /// A character-level BPE over `▁ a b ab ▁ab`, `<s>` an added token, with `pre_tokenizer`.
    private func metaspace(_ preTokenizer: String) throws -> Tokenizer {
        try load(
            #"""
            {"added_tokens": [{"id": 0, "content": "<s>", "special": true, "normalized": false}],
             "pre_tokenizer": \#(preTokenizer),
             "model": {"type": "BPE", "vocab": {"<s>": 0, "▁": 1, "a": 2, "b": 3, "ab": 4, "▁ab": 5},
                       "merges": ["a b", "▁ ab"]}}
            """#)
    }

    @Test("Metaspace prepend schemes: always, first (only where the text starts), never; split on ▁")
    func prependSchemes() throws {
        let always = try metaspace(
            #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}"#)
        #expect(always.kind == "SentencePiece BPE")
        #expect(try always.encode("ab ab") == [5, 5])
        #expect(try always.encode("<s>ab") == [0, 5])
        let first = try metaspace(
            #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true}"#)
        #expect(try first.encode("ab ab") == [5, 5])
        #expect(try first.encode("<s>ab") == [0, 4])
        #expect(try first.encode(" ab") == [5])
        let never = try metaspace(
            #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": true}"#)
        #expect(try never.encode("ab ab") == [4, 5])
        // Without the split, merges run across ▁: "▁▁ab" gives ▁ then ▁ab either way here.
        let whole = try metaspace(
            #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": false}"#)
        #expect(try whole.encode("  ab") == [1, 5])
    }

    @Test("byte fallback, and a fused unknown token emitted after byte tokens that follow it")
    func byteFallbackAndUnknown() throws {
        let tokenizer = try load(
            #"""
            {"model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
                       "vocab": {"<unk>": 0, "<0xC3>": 1, "<0xA9>": 2, "a": 3, "b": 4}, "merges": []}}
            """#)
        #expect(try tokenizer.encode("aé") == [3, 1, 2])
        // ü lacks <0xBC>: unknown; tokenizers holds a pending unknown until a known character (or the end).
        #expect(try tokenizer.encode("üüab") == [0, 3, 4])
        #expect(try tokenizer.encode("üéüb") == [1, 2, 0, 4])
        #expect(try tokenizer.encode("aü") == [3, 0])
        #expect(tokenizer.label(1) == "<0xC3>")
        #expect(tokenizer.label(3) == "a")
    }

    @Test("Gemma GGUF: merges ranked by file position, whitespace tokens respelled with ▁, controls whole")
    func gemmaDerivedMerges() throws {
        func gemma(_ tokens: [String]) throws -> Tokenizer {
            let types = tokens.map { $0.hasPrefix("<") && $0.count > 1 ? 3 : 1 }
            return try Tokenizer(
                gguf: GGUFTokenizerData(
                    architecture: "gemma3", model: "llama", pre: "default", tokens: tokens, tokenTypes: types,
                    scores: tokens.map { _ in 0 }, bosTokenID: 1, unknownTokenID: 0, addBOS: true, addSpacePrefix: false
                ))
        }
        let abFirst = try gemma(["<unk>", "<bos>", "a", "b", "c", "ab", "bc", "▁", "  ", "<mask>"])
        #expect(abFirst.kind == "SentencePiece BPE")
        #expect(try abFirst.encode("abc") == [1, 5, 4])
        #expect(try abFirst.encode("abc", addSpecialTokens: false) == [5, 4])
        let bcFirst = try gemma(["<unk>", "<bos>", "a", "b", "c", "bc", "ab", "▁", "  ", "<mask>"])
        #expect(try bcFirst.encode("abc", addSpecialTokens: false) == [2, 5])
        // "  " is looked up as "▁▁"; spaces become ▁ and merge across words.
        #expect(try abFirst.encode("a  b", addSpecialTokens: false) == [2, 8, 3])
        #expect(try abFirst.encode("<bos>a", addSpecialTokens: false) == [1, 2])
        #expect(abFirst.label(8) == "␣␣")
        #expect(abFirst.label(7) == "␣")
    }

    @Test("constructs not reproduced are refused with their key")
    func refused() throws {
        func key(_ json: String) -> String? {
            do {
                _ = try load(json)
                return nil
            } catch let error as TokenizerError {
                return error.key
            } catch {
                return "\(error)"
            }
        }
        let model = #""model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}"#
        #expect(
            key(#"{"normalizer": {"type": "Replace", "pattern": {"Regex": " +"}, "content": "▁"}, \#(model)}"#)
                == "normalizer.pattern")
        #expect(
            key(
                #"{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Digits"}, {"type": "Metaspace", "replacement": "▁"}]}, \#(model)}"#
            )
                == "pre_tokenizer.pretokenizers[1].type")
        #expect(
            key(
                #"{"pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"}, \#(model)}"#
            )
                == "pre_tokenizer.prepend_scheme")
        #expect(
            key(
                #"{"pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Contiguous"}, \#(model)}"#
            )
                == "pre_tokenizer.behavior")
        #expect(
            key(
                #"{"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}, "merges": []}}"#
            )
                == "model.byte_fallback")
        #expect(
            key(#"{"model": {"type": "BPE", "unk_token": "<unk>", "vocab": {"a": 0}, "merges": []}}"#)
                == "model.unk_token")
        #expect(
            key(###"{"model": {"type": "BPE", "continuing_subword_prefix": "##", "vocab": {"a": 0}, "merges": []}}"###)
                == "model.continuing_subword_prefix")
    }
}
