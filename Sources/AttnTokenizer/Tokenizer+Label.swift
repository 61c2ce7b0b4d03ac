extension Tokenizer {
    /// A readable label for `id` in plots.
    ///
    /// Added/special tokens and WordPiece entries are shown as written. Byte-level tokens are decoded to text:
    /// space as `␣`, newline `↵`, tab `⇥`, carriage return `␍`, other control characters and bytes that are not
    /// complete UTF-8 (a token holding part of a character) as `<0xNN>`. Unknown ids give `<id N>`.
    public func label(_ id: Int) -> String {
        guard let raw = token(id) else { return "<id \(id)>" }
        if addedIDs.contains(id) { return raw }
        guard case .bytePair = model else { return raw }
        return Self.readable(ByteLevelAlphabet.bytes(ofToken: raw))
    }

    /// `bytes` as text with visible whitespace; invalid or partial UTF-8 sequences as `<0xNN>` per byte.
    static func readable(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                out += hex(bytes[index])
                index += 1
                continue
            }
            let scalar = String(decoding: bytes[index..<index + length], as: UTF8.self).unicodeScalars.first ?? " "
            switch scalar {
            case " ": out += "␣"
            case "\n": out += "↵"
            case "\t": out += "⇥"
            case "\r": out += "␍"
            default:
                if scalar.properties.generalCategory == .control {
                    out += bytes[index..<index + length].map(hex).joined()
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            index += length
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])>"
    }

    /// Length of the well-formed UTF-8 sequence at `index`, or 0 when the bytes there are not one.
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        let slice = bytes[index..<index + length]
        for byte in slice.dropFirst() where byte & 0xC0 != 0x80 { return 0 }
        var decoder = UTF8()
        var iterator = slice.makeIterator()
        if case .scalarValue = decoder.decode(&iterator) { return length }
        return 0
    }
}
