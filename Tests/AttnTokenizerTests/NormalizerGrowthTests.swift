import Foundation
import Testing
import TestSupport
@testable import AttnTokenizer

/// The bound on how far a normalizer may grow text: hostile `tokenizer.json` files are stopped at it,
/// and the real tokenizers stay far below it.
@Suite("normalizer growth bound")
struct NormalizerGrowthTests {
    /// The bundled passages plus CJK, accented and ligature text: what a real normalizer grows most.
    static let texts: [String] = {
        let passages =
            (try? String(
                contentsOf: Fixtures.repositoryRoot.appendingPathComponent(
                    "notebooks-data/prompts/shakespeare.jsonl"), encoding: .utf8)) ?? ""
        return passages.split(separator: "\n").map(String.init) + [
            "東京は日本の首都です", "Ça coûte ﬁfty", "İstanbul ǅ \u{FDFA}",
        ]
    }()

    /// The largest normalized length over original length among `texts`, for `tokenizer`'s normalizer.
    static func largestGrowth(_ tokenizer: Tokenizer) throws -> Double {
        guard let normalizer = tokenizer.normalizer else { return 1 }
        return try texts.map { text in
            let scalars = Array(text.unicodeScalars)
            return Double(try normalizer.apply(scalars, atStart: true).count) / Double(max(scalars.count, 1))
        }.max() ?? 1
    }

    @Test("MiniLM's BertNormalizer and Gemma 3's Replace stay far below 8×; SmolLM2 has none")
    func realTokenizers() throws {
        let miniLM = try Self.largestGrowth(TestTokenizers.miniLM())
        let gemma = try Self.largestGrowth(TestTokenizers.gemma3())
        print("normalizer growth on \(Self.texts.count) texts: MiniLM \(miniLM)×, Gemma 3 \(gemma)×")
        #expect(miniLM > 1 && miniLM < 3.5)
        #expect(gemma <= 1.5)
        #expect(try TestTokenizers.smolLM2().normalizer == nil)
    }

    @Test("a doubling Replace sequence stops at 8 × n + 64 scalars, inside the step that passes it")
    func doublingStops() throws {
        let double = Normalizer.replace(pattern: ["a"], content: ["a", "a"])
        let forty = Normalizer.sequence(Array(repeating: double, count: 40))
        #expect(throws: NormalizerGrowth.self) { try forty.apply(["a"], atStart: true) }
        let six = Normalizer.sequence(Array(repeating: double, count: 6))
        #expect(try six.apply(["a"], atStart: true).count == 64)  // 2⁶ ≤ 8 · 1 + 64
        let tenfold = Normalizer.replace(pattern: ["a"], content: Array(repeating: "a", count: 10))
        #expect(throws: NormalizerGrowth.self) { try tenfold.apply(Array(repeating: "a", count: 100), atStart: true) }
    }

    @Test("with a token limit, encoding gives the first ids of the whole text")
    func limitIsAPrefix() throws {
        let tokenizer = try TestTokenizers.fixture("bpe-tiny")
        let text = Self.texts.prefix(5).joined(separator: " ")
        let whole = try tokenizer.encode(text)
        for limit in [1, 2, 7, 30] {
            #expect(Array(try tokenizer.encode(text, maxTokens: limit).prefix(limit)) == Array(whole.prefix(limit)))
        }
    }
}
