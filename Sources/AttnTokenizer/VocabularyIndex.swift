/// Token ids keyed by their UTF-8 spellings through a 64-bit polynomial hash, so that any slice of a spelling
/// is looked up in O(1) from its prefix hashes, without building an array per lookup.
///
/// The hash of bytes b₀…bₙ₋₁ is Σ (bᵢ + 1)·Bⁿ⁻¹⁻ⁱ mod 2⁶⁴; the hash of `bytes[i..<j]` is `H[j] − H[i]·Bʲ⁻ⁱ` with
/// `H` the prefix hashes. The table is open-addressed (linear probing, at most half full) over slots holding a
/// hash, an id, the length and, for spellings of at most 8 bytes, the bytes themselves; a hit is confirmed by
/// comparing bytes (in the slot when short, in `spellings` otherwise), so lookups are exact even when two
/// spellings share a hash (both are stored, in different slots).
struct VocabularyIndex: Sendable {
    /// The spelling of each id (empty for ids without one).
    let spellings: [[UInt8]]
    /// One slot of the table: a hash, its id (-1 for an empty slot), the spelling's length and its first 8
    /// bytes packed little-endian, so that short spellings are confirmed without leaving the slot.
    private struct Slot {
        var hash: UInt64 = 0
        var inline: UInt64 = 0
        var id: Int32 = -1
        var length: Int32 = 0
    }

    private let slots: [Slot]
    private let shift: UInt64
    /// Number of distinct spellings.
    let count: Int

    static let base: UInt64 = 0x0000_0100_0000_01B3

    /// An index over `spellings` (index = id); of repeated spellings the last id is kept.
    init(spellings: [[UInt8]]) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(spellings.count, 1) { bits += 1 }
        var slots = [Slot](repeating: Slot(), count: 1 << bits)
        var count = 0
        let shift = 64 - bits, mask = (1 << Int(bits)) - 1
        for (id, spelling) in spellings.enumerated() where !spelling.isEmpty {
            let hash = Self.hash(spelling[...])
            var slot = Self.slot(hash, shift)
            while slots[slot].id >= 0, slots[slot].hash != hash || spellings[Int(slots[slot].id)] != spelling {
                slot = (slot + 1) & mask
            }
            if slots[slot].id < 0 { count += 1 }
            slots[slot] = Slot(
                hash: hash, inline: Self.packed(spelling[...]), id: Int32(id), length: Int32(spelling.count))
        }
        self.spellings = spellings
        self.slots = slots
        self.shift = shift
        self.count = count
    }

    /// The hash of `bytes`.
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 &* base &+ UInt64($1) &+ 1 }
    }

    /// The first 8 bytes of `bytes`, little-endian.
    @inline(__always)
    private static func packed(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in zip(stride(from: 0, to: 64, by: 8), bytes) { value |= UInt64(byte) << UInt64(shift) }
        return value
    }

    /// The first slot to probe for `hash`: its top bits after a multiplicative mix (the low bits of a
    /// polynomial hash are weak).
    @inline(__always)
    private static func slot(_ hash: UInt64, _ shift: UInt64) -> Int {
        Int((hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The id spelled `bytes`, whose hash is `hash`.
    func id(_ bytes: ArraySlice<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Self.slot(hash, shift)
        while slots[slot].id >= 0 {
            let entry = slots[slot]
            if entry.hash == hash, Int(entry.length) == bytes.count,
                bytes.count <= 8 ? entry.inline == Self.packed(bytes) : spellings[Int(entry.id)].elementsEqual(bytes)
            {
                return entry.id
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The id spelled `bytes`.
    subscript(_ bytes: [UInt8]) -> Int32? {
        id(bytes[...], hash: Self.hash(bytes[...]))
    }
}
