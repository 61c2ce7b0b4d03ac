/// The starting symbols of SentencePiece-style (character-level) BPE, as Hugging Face `tokenizers` makes them.
///
/// Each unicode scalar of a pre-token is its vocabulary id when the vocabulary has it as a token. Otherwise, with
/// byte fallback, its UTF-8 bytes become the `<0xNN>` tokens, provided the vocabulary has all of them; failing that
/// it becomes the unknown token, consecutive unknowns fused into one when `fuseUnknown`, or is dropped when the
/// model names no unknown token.
struct CharacterAlphabet: Sendable {
    /// Token id of every single-scalar vocabulary entry, keyed by scalar value.
    let characterIDs: [UInt32: Int32]
    /// Id of `<0xNN>` per byte value, -1 where the vocabulary lacks it; nil without byte fallback.
    let byteFallbackIDs: [Int32]?
    /// The unknown token id, when the model names one.
    let unknownID: Int32?
    /// Consecutive unknown characters give one unknown token.
    let fuseUnknown: Bool

    /// An alphabet over `vocabulary`.
    init(vocabulary: VocabularyIndex, byteFallback: Bool, fuseUnknown: Bool, unknownID: Int32?) {
        var characterIDs: [UInt32: Int32] = [:]
        for bytes in vocabulary.spellings where (1...4).contains(bytes.count) {
            let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
            if scalars.count == 1, let scalar = scalars.first, scalar.utf8.elementsEqual(bytes),
                let id = vocabulary[bytes]
            {
                characterIDs[scalar.value] = id
            }
        }
        self.characterIDs = characterIDs
        byteFallbackIDs = byteFallback ? (0..<256).map { vocabulary[Self.byteTokenBytes(UInt8($0))] ?? -1 } : nil
        self.unknownID = unknownID
        self.fuseUnknown = fuseUnknown
    }

    /// The UTF-8 bytes of the byte token `<0xNN>` for `byte` (two upper-case hex digits).
    static func byteTokenBytes(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return Array("<0x".utf8) + [digits[Int(byte >> 4)], digits[Int(byte & 15)], UInt8(ascii: ">")]
    }

    /// The starting symbols of `scalars`, in order.
    func symbols(_ scalars: ArraySlice<Unicode.Scalar>) -> [Int32] {
        var symbols: [Int32] = []
        symbols.reserveCapacity(scalars.count)
        var pendingUnknown = false
        for scalar in scalars {
            if let id = characterIDs[scalar.value] {
                if pendingUnknown, let unknownID { symbols.append(unknownID) }
                pendingUnknown = false
                symbols.append(id)
                continue
            }
            if let byteFallbackIDs {
                var fallback: [Int32] = []
                UTF8.encode(scalar) { fallback.append(byteFallbackIDs[Int($0)]) }
                if !fallback.contains(-1) {
                    // Byte tokens do not end a run of unknowns: the pending one is emitted only by a known
                    // character or at the end, as `tokenizers` does.
                    symbols.append(contentsOf: fallback)
                    continue
                }
            }
            guard let unknownID else { continue }
            if pendingUnknown && !fuseUnknown { symbols.append(unknownID) }
            pendingUnknown = true
        }
        if pendingUnknown, let unknownID { symbols.append(unknownID) }
        return symbols
    }
}
