/// The GPT-2 byte-level alphabet: each of the 256 byte values spelled as one printable unicode scalar.
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 bytes map in order to
/// U+0100 upwards, so space is `Ġ` (U+0120) and newline is `Ċ` (U+010A).
enum ByteLevelAlphabet {
    /// The scalar value that spells each byte, indexed by byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet scalar spells, indexed by scalar value (0 ..< 324); -1 for scalars outside it.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// The bytes a vocabulary entry stands for: alphabet scalars give their byte, any other scalar
    /// (an added token such as `<|im_start|>` written in plain text) gives its own UTF-8 bytes.
    static func bytes(ofToken token: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(token.utf8.count)
        for scalar in token.unicodeScalars {
            let value = Int(scalar.value)
            if value < byteForScalar.count, byteForScalar[value] >= 0 {
                out.append(UInt8(byteForScalar[value]))
            } else {
                UTF8.encode(scalar) { out.append($0) }
            }
        }
        return out
    }
}
