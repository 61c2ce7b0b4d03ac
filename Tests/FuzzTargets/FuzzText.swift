import AttnScope
import AttnTokenizer
import Foundation

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

    static func prompts(_ data: Data) {
        _ = try? Prompt.parse(String(decoding: data, as: UTF8.self), file: "fuzz/prompts.jsonl")
    }
}
