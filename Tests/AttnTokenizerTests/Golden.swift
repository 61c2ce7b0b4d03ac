import AttnCheckpoint
import AttnTokenizer
import Foundation
import TestSupport
import Testing

/// Golden ids written by `Tests/Fixtures/generate/make_tokenizer_golden.py` from Hugging Face tokenizers.
struct Golden: Decodable {
    /// What produced the ids.
    var reference: String
    /// Ids that adding special tokens puts before every string.
    var prefix: [Int]
    /// Ids that adding special tokens puts after every string.
    var suffix: [Int]
    /// Ids per string of `strings.json`, special tokens added as the file says.
    var ids: [[Int]]

    /// The shared test strings.
    static let strings: [String] = {
        struct Strings: Decodable { var strings: [String] }
        let url = Fixtures.url("tokenizers/golden/strings.json")
        guard let data = try? Data(contentsOf: url), let decoded = try? JSONDecoder().decode(Strings.self, from: data)
        else {
            return []
        }
        return decoded.strings
    }()

    /// The golden file `tokenizers/golden/<name>.json`.
    static func load(_ name: String) throws -> Golden {
        let data = try Data(contentsOf: Fixtures.url("tokenizers/golden/\(name).json"))
        return try JSONDecoder().decode(Golden.self, from: data)
    }
}

/// Tokenizers under test, built the way the pipeline builds them.
enum TestTokenizers {
    /// A committed `tokenizer.json` fixture under `Tests/Fixtures/tokenizers`.
    static func fixture(_ name: String) throws -> Tokenizer {
        try Tokenizer.load(tokenizerJSON: Fixtures.url("tokenizers/\(name)/tokenizer.json"))
    }

    /// The all-MiniLM-L6-v2 `tokenizer.json`.
    static func miniLM() throws -> Tokenizer {
        try Tokenizer.load(
            tokenizerJSON: try Fixtures.require(Fixtures.miniLM).appendingPathComponent("tokenizer.json"))
    }

    /// The all-mpnet-base-v2 `tokenizer.json` (WordPiece, `<s> … </s>`, `<mask>` with lstrip, `<unk>` normalized).
    static func mpnet() throws -> Tokenizer {
        try Tokenizer.load(tokenizerJSON: try Fixtures.require(Fixtures.mpnet).appendingPathComponent("tokenizer.json"))
    }

    /// The vocabulary embedded in the SmolLM2 GGUF, read with AttnCheckpoint.
    static func smolLM2() throws -> Tokenizer {
        let file = try GGUFFile(url: try Fixtures.require(Fixtures.smolLM2))
        return try Tokenizer(gguf: tokenizerData(file.metadata))
    }

    /// `tokenizer.ggml.*` metadata as `GGUFTokenizerData`.
    static func tokenizerData(_ metadata: [String: GGUFValue]) throws -> GGUFTokenizerData {
        try #require(GGUFTokenizerData(metadata: metadata))
    }

    /// The vocabulary embedded in the Gemma 3 270M GGUF, read with AttnCheckpoint; built once (262,144 tokens
    /// take seconds in a debug build) and shared by the tests.
    static func gemma3() throws -> Tokenizer {
        try gemma3Shared.get()
    }

    private static let gemma3Shared = Result<Tokenizer, any Error> {
        let file = try GGUFFile(url: try Fixtures.require(Fixtures.gemma3))
        return try Tokenizer(gguf: tokenizerData(file.metadata))
    }
}
