extension BytePairModel {
    /// Merge rules implied by a vocabulary that lists none (SentencePiece BPE in GGUF), ranked exactly as
    /// transformers' `generate_merges` ranks them when it converts such a vocabulary.
    ///
    /// `tokens[id]` is the UTF-8 spelling of each id, `vocabulary` maps a spelling to its id (the last id when a
    /// spelling repeats) and `scores[id]` ranks tokens, higher first. Every distinct spelling, at its first id, is
    /// cut at each character boundary into a left and a right part that are both tokens; each such pair is a merge
    /// giving `vocabulary[spelling]`. Merges are ranked by the score of that result (`scores` at its id), higher
    /// first, then by the left part's length in characters, longer first, then the right part's, then by the
    /// first id of the spelling. Building takes O(total token length) lookups and one sort of the merges.
    static func derivedMerges(tokens: [[UInt8]], vocabulary: [[UInt8]: Int32], scores: [Double]) -> [UInt64: Merge] {
        struct Candidate {
            var score: Double
            var leftLength: Int32
            var rightLength: Int32
            var order: Int32
            var pair: UInt64
            var result: Int32
        }
        // Only the first id of a repeated spelling contributes (Python dict order); repeats are rare.
        var isFirst = [Bool](repeating: true, count: tokens.count)
        if vocabulary.count < tokens.count {
            var seen = Set<[UInt8]>()
            for (id, spelling) in tokens.enumerated() where !seen.insert(spelling).inserted { isFirst[id] = false }
        }
        var candidates: [Candidate] = []
        candidates.reserveCapacity(tokens.count * 2)
        for (id, spelling) in tokens.enumerated() where spelling.count > 1 && isFirst[id] {
            guard let result = vocabulary[spelling] else { continue }
            let characters = spelling.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            var leftLength: Int32 = 0
            for cut in 1..<spelling.count where spelling[cut] & 0xC0 != 0x80 {
                leftLength += 1
                guard let left = vocabulary[Array(spelling[..<cut])], let right = vocabulary[Array(spelling[cut...])] else { continue }
                candidates.append(Candidate(
                    score: scores[Int(result)], leftLength: leftLength, rightLength: Int32(characters) - leftLength,
                    order: Int32(id), pair: UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right)),
                    result: result
                ))
            }
        }
        candidates.sort {
            if $0.score != $1.score { return $0.score > $1.score }
            if $0.leftLength != $1.leftLength { return $0.leftLength > $1.leftLength }
            if $0.rightLength != $1.rightLength { return $0.rightLength > $1.rightLength }
            return $0.order < $1.order
        }
        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(candidates.count)
        for (rank, candidate) in candidates.enumerated() {
            merges[candidate.pair] = Merge(rank: Int32(rank), id: candidate.result)
        }
        return merges
    }
}
