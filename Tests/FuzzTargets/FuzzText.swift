import AttnScope
import AttnTokenizer
import Foundation
import TestSupport

/// The text targets: tokenizer.json with text to encode, and prompt files.
enum FuzzText {
    static func tokenizer(_ data: Data) {
        let split = data.firstIndex(of: 0) ?? data.endIndex
        guard let tokenizer = try? Tokenizer.load(tokenizerJSON: Data(data[..<split]), file: "fuzz/tokenizer.json") else { return }
        let text = String(decoding: data[split...].dropFirst(), as: UTF8.self)
        for special in [nil, true, false] as [Bool?] {
            for id in (try? tokenizer.encode(text, addSpecialTokens: special)) ?? [] {
                _ = tokenizer.label(id)
                _ = tokenizer.token(id)
            }
        }
    }

    /// bpe-tiny's tokenizer.json, cut where its `null` normalizer sits.
    static let normalizerTemplate: (head: Data, tail: Data)? = {
        guard let file = try? Data(contentsOf: Fixtures.url("tokenizers/bpe-tiny/tokenizer.json")),
              let range = file.range(of: Data("\"normalizer\":null".utf8)) else { return nil }
        return (file[..<range.lowerBound] + Data("\"normalizer\":".utf8), Data(file[range.upperBound...]))
    }()

    /// `data`: a `normalizer` JSON value, a NUL byte, then text; the value is put into a small
    /// byte-level tokenizer.json, which then encodes the text (with and without a token limit).
    static func normalizer(_ data: Data) {
        guard let template = normalizerTemplate else { return }
        let split = data.firstIndex(of: 0) ?? data.endIndex
        let json = template.head + Data(data[..<split]) + template.tail
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
