/// BPE merging: a pre-token starts as one symbol per byte (byte-level BPE) or per character
/// (SentencePiece-style BPE, see ``CharacterAlphabet``), and pairs merge lowest rank first.
struct BytePairModel: Sendable {
    /// The result of one merge rule: its rank (lower merges first) and the id of the merged token.
    struct Merge: Sendable {
        var rank: Int32
        var id: Int32
    }

    /// Token id of each single byte, indexed by byte value; -1 when the vocabulary lacks it (the byte is
    /// dropped). Byte-level BPE only: empty for character-level BPE.
    let byteIDs: [Int32]
    /// Merge rules keyed by the two symbol ids packed as `left << 32 | right`.
    let merges: [UInt64: Merge]
    /// Token ids keyed by the bytes they stand for (UTF-8 of the vocabulary string for character-level BPE);
    /// used whole when `ignoreMerges`, and may be empty otherwise.
    let vocabulary: [[UInt8]: Int32]
    /// Emit a pre-token that is itself in the vocabulary without merging (`ignore_merges`).
    let ignoreMerges: Bool

    @inline(__always)
    private func merge(_ left: Int32, _ right: Int32) -> Merge? {
        merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))]
    }

    /// Appends the ids of the pre-token whose UTF-8 bytes are `bytes`, one starting symbol per byte.
    func encode(_ bytes: [UInt8], into ids: inout [Int]) {
        if ignoreMerges, let id = vocabulary[bytes] {
            ids.append(Int(id))
            return
        }
        var symbols: [Int32] = []
        symbols.reserveCapacity(bytes.count)
        for byte in bytes where byteIDs[Int(byte)] >= 0 { symbols.append(byteIDs[Int(byte)]) }
        merge(symbols, into: &ids)
    }

    /// Appends the ids of the pre-token `scalars` (UTF-8 `bytes`), starting from the symbols `alphabet` gives.
    func encode(
        _ scalars: ArraySlice<Unicode.Scalar>, bytes: [UInt8], alphabet: CharacterAlphabet, into ids: inout [Int]
    ) {
        if ignoreMerges, let id = vocabulary[bytes] {
            ids.append(Int(id))
            return
        }
        merge(alphabet.symbols(scalars), into: &ids)
    }

    /// Merges `symbols` and appends the resulting ids.
    private func merge(_ symbols: [Int32], into ids: inout [Int]) {
        var symbols = symbols
        if symbols.count > 1 { mergeAll(&symbols) }
        for symbol in symbols { ids.append(Int(symbol)) }
    }

    /// Applies merges to `symbols` until none applies, lowest rank first and
    /// leftmost first among equal ranks, in O(n log n) for n symbols.
    ///
    /// Symbols form a linked list over their original positions; a min-heap
    /// holds candidate pairs keyed `rank << 32 | left position`. A popped
    /// candidate is used only if its pair is still adjacent and still has
    /// that rank (each rank is one rule), so stale entries are skipped.
    private func mergeAll(_ symbols: inout [Int32]) {
        let n = symbols.count
        var next = Array(1...n), previous = Array(-1..<(n - 1))  // next == n: end of list
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap()
        func push(_ left: Int) {
            let right = next[left]
            guard right < n, let rule = merge(symbols[left], symbols[right]) else { return }
            heap.push(UInt64(UInt32(bitPattern: rule.rank)) << 32 | UInt64(left))
        }
        for left in 0..<(n - 1) { push(left) }
        while let key = heap.pop() {
            let left = Int(key & 0xFFFF_FFFF), rank = Int32(truncatingIfNeeded: key >> 32)
            let right = next[left]
            guard alive[left], right < n, let rule = merge(symbols[left], symbols[right]), rule.rank == rank else {
                continue
            }
            symbols[left] = rule.id
            alive[right] = false
            next[left] = next[right]
            if next[right] < n { previous[next[right]] = left }
            if previous[left] >= 0 { push(previous[left]) }
            push(left)
        }
        var merged: [Int32] = []
        var index = 0
        while index < n {
            merged.append(symbols[index])
            index = next[index]
        }
        symbols = merged
    }
}

/// A binary min-heap of `UInt64` keys: the merge queue of ``BytePairModel``.
struct MinHeap {
    private var keys: [UInt64] = []

    mutating func push(_ key: UInt64) {
        keys.append(key)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] < keys[parent] else { break }
            keys.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest key, nil when empty.
    mutating func pop() -> UInt64? {
        guard let last = keys.popLast() else { return nil }
        guard !keys.isEmpty else { return last }
        let top = keys[0]
        keys[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < keys.count, keys[left] < keys[smallest] { smallest = left }
            if right < keys.count, keys[right] < keys[smallest] { smallest = right }
            guard smallest != parent else { return top }
            keys.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
