@testable import AttnTokenizer
import Foundation
import Testing
import TestSupport

/// The hand-written pre-tokenizer scanners cut every golden string exactly where the Hugging Face
/// pre-tokenizers (regex engine) do.
@Suite("Pre-token boundaries from Hugging Face pre-tokenizers")
struct PreTokenizerGoldenTests {
    /// `golden/pretokens.json`: boundaries per pre-tokenizer per string.
    private static func boundaries() throws -> [String: [[Int]]] {
        let data = try Data(contentsOf: Fixtures.url("tokenizers/golden/pretokens.json"))
        return try JSONDecoder().decode([String: [[Int]]].self, from: data)
    }

    /// Compares the flattened offsets `PreTokenizer` gives with the golden ones for every string.
    private func check(_ preTokenizer: PreTokenizer, _ name: String, flatten: ([Range<Int>]) -> [Int]) throws {
        let golden = try #require(try Self.boundaries()[name])
        let strings = Golden.strings
        try #require(strings.count >= 500 && golden.count == strings.count)
        var mismatches = 0
        for (text, expected) in zip(strings, golden) {
            let got = flatten(preTokenizer.split(Array(text.unicodeScalars)))
            if got != expected {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("\(name): \(text.debugDescription)\n  expected \(expected)\n  got      \(got)")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test(
        "GPT-2, Llama-3 and SmolLM splits",
        arguments: [
            (PreTokenizer.gpt2, "gpt2"), (.llama3, "llama3"),
            (.sequence([.digits(individual: true), .gpt2]), "smollm"),
        ])
    func tiling(preTokenizer: PreTokenizer, name: String) throws {
        try check(preTokenizer, name) { $0.map(\.upperBound) }
    }

    @Test("BERT whitespace and punctuation split")
    func bert() throws {
        try check(.bert, "bert") { $0.flatMap { [$0.lowerBound, $0.upperBound] } }
    }
}
