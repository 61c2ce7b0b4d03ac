/// Scanners equivalent to the GPT-2 and Llama-3 pre-tokenizer regexes, evaluated without a regex engine.
extension PreTokenizer {
    /// Scalar classes the regexes distinguish: `\p{L}`, `\p{N}`, `\s`, and everything else.
    private enum Kind { case letter, number, space, other }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        if scalar.isLetter { return .letter }
        if scalar.isNumber { return .number }
        if scalar.isSpace { return .space }
        return .other
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool { scalar == "\n" || scalar == "\r" }

    /// Length of the contraction (`'s|'t|'re|'ve|'m|'ll|'d`) starting at `index`, 0 if none.
    private static func contraction(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, _ index: Int, _ end: Int,
        ignoringCase: Bool
    ) -> Int {
        guard text[index] == "'", index + 1 < end else { return 0 }
        func letter(_ offset: Int) -> UInt32? {
            guard index + offset < end else { return nil }
            let value = text[index + offset].value
            if ignoringCase, value >= 0x41, value <= 0x5A { return value | 0x20 }
            return value
        }
        switch letter(1) {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        case 0x72, 0x76: return letter(2) == 0x65 ? 3 : 0  // re ve
        case 0x6C: return letter(2) == 0x6C ? 3 : 0  // ll
        default: return 0
        }
    }

    /// End of the run of scalars of `kind` starting at `index`.
    private static func run(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, from index: Int, _ end: Int, _ wanted: Kind
    ) -> Int {
        var cursor = index
        while cursor < end, kind(text[cursor]) == wanted { cursor += 1 }
        return cursor
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    static func scanGPT2(_ text: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>, into out: inout [Range<Int>])
    {
        let end = range.upperBound
        var index = range.lowerBound
        while index < end {
            var stop: Int
            let length = contraction(text, index, end, ignoringCase: false)
            if length > 0 {
                stop = index + length
            } else {
                let spaced = text[index] == " " && index + 1 < end && kind(text[index + 1]) != .space
                let start = spaced ? index + 1 : index
                let startKind = kind(text[start])
                if startKind != .space {
                    stop = run(text, from: start, end, startKind)
                } else {
                    stop = spaceRun(text, from: index, end)
                }
            }
            out.append(index..<stop)
            index = stop
        }
    }

    /// `\s+(?!\S)|\s+` at `index`: the whitespace run, leaving its last scalar to a following non-space.
    private static func spaceRun(_ text: UnsafeBufferPointer<Unicode.Scalar>, from index: Int, _ end: Int) -> Int {
        let runEnd = run(text, from: index, end, .space)
        if runEnd == end || runEnd - index == 1 { return runEnd }
        return runEnd - 1
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    /// with `digits` in place of 3. nanochat's pattern is this one with 2: its possessive `?+` and `++` give
    /// nothing back that the greedy forms would take (the next class never overlaps them), and its
    /// `\s*[\r\n]` ends where `\s*[\r\n]+` does, at the run's last newline.
    static func scanLlama3(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>, digits: Int,
        into out: inout [Range<Int>]
    ) {
        let end = range.upperBound
        var index = range.lowerBound
        while index < end {
            let scalar = text[index]
            let here = kind(scalar)
            let nextKind: Kind? = index + 1 < end ? kind(text[index + 1]) : nil
            var stop: Int
            let length = contraction(text, index, end, ignoringCase: true)
            if length > 0 {
                stop = index + length
            } else if here == .letter {
                stop = run(text, from: index, end, .letter)
            } else if here != .number, !isNewline(scalar), nextKind == .letter {
                stop = run(text, from: index + 1, end, .letter)
            } else if here == .number {
                stop = index + 1
                while stop < end, stop - index < digits, kind(text[stop]) == .number { stop += 1 }
            } else if here == .other || (scalar == " " && nextKind == .other) {
                stop = run(text, from: here == .other ? index : index + 1, end, .other)
                while stop < end, isNewline(text[stop]) { stop += 1 }
            } else {
                let runEnd = run(text, from: index, end, .space)
                if let lastNewline = (index..<runEnd).last(where: { isNewline(text[$0]) }) {
                    stop = lastNewline + 1
                } else {
                    stop = spaceRun(text, from: index, end)
                }
            }
            out.append(index..<stop)
            index = stop
        }
    }
}
