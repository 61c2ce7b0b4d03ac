extension Tokenizer {
    /// A readable label for `id` in plots.
    ///
    /// Added/special tokens and WordPiece entries are shown as written, with visible whitespace. Byte-level tokens
    /// are decoded to text: space as `␣`, newline `↵`, tab `⇥`, carriage return `␍`, other control characters and
    /// bytes that are not complete UTF-8 (a token holding part of a character) as `<0xNN>`. SentencePiece tokens
    /// are shown the same way with `▁` as a space, and a byte token `<0xNN>` as that byte. Unknown ids give `<id N>`.
    public func label(_ id: Int) -> String {
        guard let raw = token(id) else { return "<id \(id)>" }
        if addedIDs.contains(id) { return Self.readable(Array(raw.utf8)) }
        switch model {
        case .bytePair: return Self.readable(ByteLevelAlphabet.bytes(ofToken: raw))
        case .characterPair: return Self.readable(Self.sentencePieceBytes(raw))
        case .wordPiece: return raw
        }
    }

    /// The bytes a SentencePiece token stands for: `<0xNN>` is byte NN, otherwise its UTF-8 with `▁` as a space.
    static func sentencePieceBytes(_ token: String) -> [UInt8] {
        let utf8 = Array(token.utf8)
        if utf8.count == 6, utf8.starts(with: "<0x".utf8), utf8[5] == UInt8(ascii: ">"),
            let byte = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
        {
            return [byte]
        }
        return Array(token.replacingOccurrences(of: "\u{2581}", with: " ").utf8)
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
