/// Byte-level BPE: a pre-token's UTF-8 bytes start as one symbol each and merge lowest rank first.
struct BytePairModel: Sendable {
    /// The result of one merge rule: its rank (lower merges first) and the id of the merged token.
    struct Merge: Sendable {
        var rank: Int32
        var id: Int32
    }

    /// Token id of each single byte, indexed by byte value; -1 when the vocabulary lacks it (the byte is dropped).
    let byteIDs: [Int32]
    /// Merge rules keyed by the two symbol ids packed as `left << 32 | right`.
    let merges: [UInt64: Merge]
    /// Token ids keyed by the bytes they stand for; used whole when `ignoreMerges`.
    let vocabulary: [[UInt8]: Int32]
    /// Emit a pre-token that is itself in the vocabulary without merging (`ignore_merges`).
    let ignoreMerges: Bool

    @inline(__always)
    private func merge(_ left: Int32, _ right: Int32) -> Merge? {
        merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))]
    }

    /// Appends the ids of the pre-token whose UTF-8 bytes are `bytes`.
    func encode(_ bytes: [UInt8], into ids: inout [Int]) {
        if ignoreMerges, let id = vocabulary[bytes] {
            ids.append(Int(id))
            return
        }
        var symbols: [Int32] = []
        symbols.reserveCapacity(bytes.count)
        for byte in bytes where byteIDs[Int(byte)] >= 0 { symbols.append(byteIDs[Int(byte)]) }
        if symbols.count > 1 {
            var ranks = [Int32](repeating: .max, count: symbols.count - 1)
            for index in 0..<ranks.count { ranks[index] = merge(symbols[index], symbols[index + 1])?.rank ?? .max }
            while true {
                var best = -1
                var bestRank = Int32.max
                ranks.withUnsafeBufferPointer { ranks in
                    var index = 0
                    while index < ranks.count {
                        if ranks[index] < bestRank {
                            best = index
                            bestRank = ranks[index]
                        }
                        index += 1
                    }
                }
                guard best >= 0, let merged = merge(symbols[best], symbols[best + 1]) else { break }
                symbols[best] = merged.id
                symbols.remove(at: best + 1)
                ranks.remove(at: best)
                if best > 0 { ranks[best - 1] = merge(symbols[best - 1], symbols[best])?.rank ?? .max }
                if best < ranks.count { ranks[best] = merge(symbols[best], symbols[best + 1])?.rank ?? .max }
            }
        }
        for symbol in symbols { ids.append(Int(symbol)) }
    }
}
