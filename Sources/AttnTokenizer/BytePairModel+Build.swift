extension BytePairModel {
    /// A model from a vocabulary keyed by bytes and merge rules given as pairs of strings in rank order, each
    /// string turned into bytes by `spelling` (the byte-level alphabet, or plain UTF-8 for character-level BPE);
    /// throws naming `file` and `mergesKey[index]` for a merge whose parts or result are not in the vocabulary.
    init(
        vocabulary: [[UInt8]: Int32], merges pairs: [(left: String, right: String)], ignoreMerges: Bool,
        spelling: (String) -> [UInt8], file: String, mergesKey: String
    ) throws {
        var byteIDs = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 { byteIDs[byte] = vocabulary[[UInt8(byte)]] ?? -1 }
        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(pairs.count)
        for (rank, pair) in pairs.enumerated() {
            let left = spelling(pair.left)
            let right = spelling(pair.right)
            guard let leftID = vocabulary[left], let rightID = vocabulary[right],
                let mergedID = vocabulary[left + right]
            else {
                throw TokenizerError(
                    file: file, key: "\(mergesKey)[\(rank)]",
                    message: "merge \"\(pair.left) \(pair.right)\" uses a token missing from the vocabulary")
            }
            let key = UInt64(UInt32(bitPattern: leftID)) << 32 | UInt64(UInt32(bitPattern: rightID))
            if merges[key] == nil { merges[key] = Merge(rank: Int32(rank), id: mergedID) }
        }
        self.init(byteIDs: byteIDs, merges: merges, vocabulary: vocabulary, ignoreMerges: ignoreMerges)
    }
}
