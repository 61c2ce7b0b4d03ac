import AttnScope
import AttnTokenizer
import Foundation
import TestSupport

/// The text targets: tokenizer.json with text to encode, and prompt files.
enum FuzzText {
    static func tokenizer(_ data: Data) {
        let split = data.firstIndex(of: 0) ?? data.endIndex
        guard let tokenizer = try? Tokenizer.load(tokenizerJSON: Data(data[..<split]), file: "fuzz/tokenizer.json")
        else { return }
        let text = String(decoding: data[split...].dropFirst(), as: UTF8.self)
        for special in [nil, true, false] as [Bool?] {
            for id in (try? tokenizer.encode(text, addSpecialTokens: special)) ?? [] {
                _ = tokenizer.label(id)
                _ = tokenizer.token(id)
            }
        }
    }

    /// `data`: a `normalizer` JSON value, a NUL byte, then text; the value is put into bpe-tiny's
    /// tokenizer.json (read for every input: a cached copy in a static reads as a leak to LeakSanitizer,
    /// whose scan does not see pointers Swift keeps with enum tags in their spare bits), which then
    /// encodes the text (with and without a token limit).
    static func normalizer(_ data: Data) {
        guard let file = try? Data(contentsOf: Fixtures.url("tokenizers/bpe-tiny/tokenizer.json")),
            let null = file.range(of: Data("\"normalizer\":null".utf8))
        else { return }
        let split = data.firstIndex(of: 0) ?? data.endIndex
        let json =
            file[..<null.lowerBound] + Data("\"normalizer\":".utf8) + Data(data[..<split]) + file[null.upperBound...]
        guard let tokenizer = try? Tokenizer.load(tokenizerJSON: json, file: "fuzz/tokenizer.json") else { return }
        let text = String(decoding: data[split...].dropFirst(), as: UTF8.self)
        for limit in [nil, 3] as [Int?] {
            for id in (try? tokenizer.encode(text, maxTokens: limit)) ?? [] { _ = tokenizer.label(id) }
        }
    }

    static func prompts(_ data: Data) {
        _ = try? Prompt.parse(String(decoding: data, as: UTF8.self), file: "fuzz/prompts.jsonl")
    }
}
