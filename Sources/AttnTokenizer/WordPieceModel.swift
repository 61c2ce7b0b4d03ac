/// WordPiece: greedy longest-match-first over a word's scalars, later pieces looked up with the `##` prefix.
struct WordPieceModel: Sendable {
    /// Token ids keyed by the UTF-8 bytes of the vocabulary entry (continuations include their prefix).
    let vocabulary: [[UInt8]: Int32]
    /// The id emitted for a whole word that cannot be cut into vocabulary pieces.
    let unknownID: Int
    /// The UTF-8 bytes of the continuing-subword prefix, usually `##`.
    let continuingPrefix: [UInt8]
    /// Words with more scalars than this become the unknown token.
    let maxInputCharsPerWord: Int
    /// UTF-8 bytes of the longest vocabulary entry: no longer piece can match, so
    /// each lookup tries at most this many ends and a word costs O(n · longest²).
    let longestEntry: Int

    init(vocabulary: [[UInt8]: Int32], unknownID: Int, continuingPrefix: [UInt8], maxInputCharsPerWord: Int) {
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.continuingPrefix = continuingPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        longestEntry = vocabulary.keys.map(\.count).max() ?? 0
    }

    /// Appends the ids of `word` (a pre-token's scalars).
    func encode(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int]) {
        guard word.count <= maxInputCharsPerWord else {
            ids.append(unknownID)
            return
        }
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]  // byte offset of each scalar boundary
        for scalar in word {
            UTF8.encode(scalar) { bytes.append($0) }
            offsets.append(bytes.count)
        }
        let first = ids.count
        var start = 0
        var key: [UInt8] = []
        while start < word.count {
            // A piece of more scalars than the longest entry has bytes cannot be in the vocabulary.
            var end = min(word.count, start + longestEntry)
            var found: Int32?
            while start < end {
                key.removeAll(keepingCapacity: true)
                if start > 0 { key.append(contentsOf: continuingPrefix) }
                key.append(contentsOf: bytes[offsets[start]..<offsets[end]])
                if let id = vocabulary[key] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.removeSubrange(first...)
                ids.append(unknownID)
                return
            }
            ids.append(Int(id))
            start = end
        }
    }
}
