import AttnAnalysis
import AttnModel

/// The standard induction probe: prompts of random tokens repeated once, so
/// that every token of the second half has an earlier copy whose successor
/// an induction head attends to (Olsson et al. 2022, "In-context Learning
/// and Induction Heads"; TransformerLens's repeated-random-tokens prompts).
///
/// Prompt `p` is the BOS the tokenizer adds (or `[CLS]`; none when it adds
/// none) followed by ``sequenceLength`` ids drawn uniformly from the
/// vocabulary without its added/special tokens, then the same ids again:
/// `1 + 2·64 = 129` tokens. The ids come from ``SplitMix64`` seeded with
/// ``seed``, so the prompts are the same on every machine.
package enum InductionProbe {
    package static let promptCount = 16
    package static let sequenceLength = 64
    package static let seed: UInt64 = 0x1D0C_710B

    /// The probe's prompts for `loaded`, with the BOS that `bos` adds to an empty text.
    package static func prompts(for loaded: LoadedModel, bos: BOSPolicy) throws -> [Prompt] {
        let vocabulary = loaded.model.description.vocabularySize
        let prefix = try loaded.tokenizer.map { try bos.encode("", with: $0).prefix(1) } ?? []
        let special = loaded.tokenizer?.addedTokenIDs ?? []
        let candidates = (0..<min(vocabulary, loaded.tokenizer?.vocabularySize ?? vocabulary)).filter {
            !special.contains($0)
        }
        guard candidates.count >= 2 else {
            throw ScopeError.badInput(
                "the induction probe needs at least two ordinary tokens; the vocabulary has \(candidates.count)")
        }
        var random = SplitMix64(seed: seed)
        return (0..<promptCount).map { _ in
            let sequence = (0..<sequenceLength).map { _ in
                candidates[Int(random.next(upperBound: UInt64(candidates.count)))]
            }
            return Prompt(tokenIDs: Array(prefix) + sequence + sequence)
        }
    }
}
