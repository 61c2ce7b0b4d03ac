extension BytePairModel {
    /// Merge rules implied by a vocabulary that lists none (SentencePiece BPE in GGUF), ranked exactly as
    /// transformers' `generate_merges` ranks them when it converts such a vocabulary.
    ///
    /// `scores[id]` ranks tokens, higher first. Every distinct spelling of `vocabulary`, at its first id, is cut at
    /// each character boundary into a left and a right part that are both tokens; each such pair is a merge giving
    /// the spelling's id in `vocabulary` (its last id). Merges are ranked by the score at that id, higher first,
    /// then by the left part's length in characters, longer first, then the right part's, then by the first id of
    /// the spelling. Each cut is looked up from prefix hashes in O(1), so building is linear in the total spelling
    /// length plus one sort of the merges.
    static func derivedMerges(vocabulary: VocabularyIndex, scores: [Double]) -> [UInt64: Merge] {
        struct Candidate {
            var score: Double
            var leftLength: Int32
            var rightLength: Int32
            var order: Int32
            var pair: UInt64
            var result: Int32
        }
        let spellings = vocabulary.spellings
        // Only the first id of a repeated spelling contributes (Python dict order); repeats are rare.
        let repeats = vocabulary.count < spellings.count
        var isFirst = [Bool](repeating: true, count: spellings.count)
        if repeats {
            var seen = Set<[UInt8]>()
            for (id, spelling) in spellings.enumerated() where !seen.insert(spelling).inserted { isFirst[id] = false }
        }
        let longest = spellings.reduce(0) { max($0, $1.count) }
        var powers = [UInt64](repeating: 1, count: longest + 1)
        for length in powers.indices.dropFirst() { powers[length] = powers[length - 1] &* VocabularyIndex.base }

        var candidates: [Candidate] = []
        candidates.reserveCapacity(spellings.count * 2)
        var prefixHashes: [UInt64] = []
        for (id, spelling) in spellings.enumerated() where spelling.count > 1 && isFirst[id] {
            prefixHashes.removeAll(keepingCapacity: true)
            prefixHashes.append(0)
            for byte in spelling {
                prefixHashes.append(prefixHashes[prefixHashes.count - 1] &* VocabularyIndex.base &+ UInt64(byte) &+ 1)
            }
            let n = spelling.count
            let result = repeats ? vocabulary.id(spelling[...], hash: prefixHashes[n]) ?? Int32(id) : Int32(id)
            let characters = spelling.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            var leftLength: Int32 = 0
            for cut in 1..<n where spelling[cut] & 0xC0 != 0x80 {
                leftLength += 1
                guard let left = vocabulary.id(spelling[..<cut], hash: prefixHashes[cut]),
                    let right = vocabulary.id(
                        spelling[cut...], hash: prefixHashes[n] &- prefixHashes[cut] &* powers[n - cut])
                else { continue }
                candidates.append(
                    Candidate(
                        score: scores[Int(result)], leftLength: leftLength, rightLength: Int32(characters) - leftLength,
                        order: Int32(id),
                        pair: UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right)),
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
