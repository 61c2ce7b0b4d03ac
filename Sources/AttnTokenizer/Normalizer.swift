import Foundation

/// Text normalization applied to each segment between added tokens, before pre-tokenization.
indirect enum Normalizer: Sendable, Equatable {
    /// `BertNormalizer`: clean text, pad CJK ideographs with spaces, strip accents, lowercase.
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    /// `Lowercase`: the full lowercase mapping of every scalar.
    case lowercase
    /// `NFC` and `NFKC` unicode normalization.
    case nfc, nfkc
    /// `Replace` with a literal pattern: every non-overlapping occurrence, left to right, becomes `content`.
    case replace(pattern: [Unicode.Scalar], content: [Unicode.Scalar])
    /// `Prepend`: `prefix` put before every non-empty segment.
    case prepend([Unicode.Scalar])
    /// The text-changing half of a `Metaspace` pre-tokenizer (run after the file's normalizer): spaces become
    /// `replacement`, which is also put before a segment not already starting with it, always or only when the
    /// segment starts the text (`firstOnly`, prepend scheme `first`). Its split is ``PreTokenizer/literal(_:behavior:)``.
    case metaspace(replacement: Unicode.Scalar, prepend: Bool, firstOnly: Bool)
    /// Each normalizer in turn.
    case sequence([Normalizer])

    /// How far normalization may grow a segment of `n` scalars: to at most `growthFactor · n + growthSlack`
    /// scalars, after every step. Real normalizers stay far below it (the largest real growth is BERT's
    /// spacing of CJK ideographs, 3×; a lone NFKC ligature such as U+FDFA gives 18 scalars, inside the slack);
    /// a hostile `tokenizer.json` (a Sequence of Replace steps doubling the text) is stopped at it.
    static let growthFactor = 8, growthSlack = 64

    /// The normalized scalars of `text`, a segment between added tokens; `atStart`: it starts the whole text.
    /// Throws ``NormalizerGrowth`` when any step would make the segment longer than the growth bound.
    func apply(_ text: [Unicode.Scalar], atStart: Bool) throws(NormalizerGrowth) -> [Unicode.Scalar] {
        let limit = Self.growthFactor * text.count + Self.growthSlack
        return try apply(text, atStart: atStart, limit: limit, original: text.count)
    }

    /// One step (or a sequence of them) under `limit` scalars of output; `original` is the segment's length.
    private func apply(
        _ text: [Unicode.Scalar], atStart: Bool, limit: Int, original: Int
    ) throws(NormalizerGrowth) -> [Unicode.Scalar] {
        let out = try step(text, atStart: atStart, limit: limit, original: original)
        guard out.count <= limit else { throw NormalizerGrowth(length: original, limit: limit) }
        return out
    }

    private func step(
        _ text: [Unicode.Scalar], atStart: Bool, limit: Int, original: Int
    ) throws(NormalizerGrowth) -> [Unicode.Scalar] {
        switch self {
        case .bert(let clean, let chinese, let strip, let lower):
            var out = text
            if clean { out = Normalizer.cleaned(out) }
            if chinese { out = Normalizer.spacedIdeographs(out) }
            if strip { out = Normalizer.withoutAccents(out) }
            if lower { out = Normalizer.lowercased(out) }
            return out
        case .lowercase: return Normalizer.lowercased(text)
        case .nfc:
            return Array(String(String.UnicodeScalarView(text)).precomposedStringWithCanonicalMapping.unicodeScalars)
        case .nfkc:
            return Array(
                String(String.UnicodeScalarView(text)).precomposedStringWithCompatibilityMapping.unicodeScalars)
        case .replace(let pattern, let content):
            guard let out = Normalizer.replaced(text, pattern, with: content, limit: limit) else {
                throw NormalizerGrowth(length: original, limit: limit)
            }
            return out
        case .prepend(let prefix): return text.isEmpty ? text : prefix + text
        case .metaspace(let replacement, let prepend, let firstOnly):
            var out = text.map { $0 == " " ? replacement : $0 }
            if prepend, !out.isEmpty, out.first != replacement, atStart || !firstOnly { out.insert(replacement, at: 0) }
            return out
        case .sequence(let steps):
            var out = text
            for step in steps { out = try step.apply(out, atStart: atStart, limit: limit, original: original) }
            return out
        }
    }

    /// `text` with every non-overlapping occurrence of `pattern` (scanned left to right) replaced by `content`;
    /// nil as soon as the result would pass `limit` scalars.
    private static func replaced(
        _ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar], with content: [Unicode.Scalar], limit: Int
    ) -> [Unicode.Scalar]? {
        guard let first = pattern.first else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(min(text.count, limit))
        var index = 0
        while index < text.count {
            if text[index] == first, index + pattern.count <= text.count,
                text[index..<index + pattern.count].elementsEqual(pattern)
            {
                guard out.count + content.count <= limit else { return nil }
                out.append(contentsOf: content)
                index += pattern.count
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }

    /// Drops NUL, U+FFFD and control/format characters (keeping tab, newline, return); whitespace becomes a space.
    private static func cleaned(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            let keptControl = scalar == "\t" || scalar == "\n" || scalar == "\r"
            if scalar.value == 0 || scalar.value == 0xFFFD || (!keptControl && scalar.isOtherCategory) { continue }
            out.append(keptControl || scalar.isSpace ? " " : scalar)
        }
        return out
    }

    private static func spacedIdeographs(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: \.isCJKIdeograph) else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count * 2)
        for scalar in text {
            if scalar.isCJKIdeograph {
                out.append(contentsOf: [" ", scalar, " "])
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    /// Canonical decomposition, then every nonspacing mark (Mn) removed.
    private static func withoutAccents(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: { $0.value >= 0x80 }) else { return text }
        let decomposed = String(String.UnicodeScalarView(text)).decomposedStringWithCanonicalMapping
        return decomposed.unicodeScalars.filter { $0.value < 0x300 || $0.properties.generalCategory != .nonspacingMark }
    }

    private static func lowercased(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            if scalar.value < 0x80 {
                out.append(
                    scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(UInt8(scalar.value | 0x20)) : scalar)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }
}

/// Normalization would grow a segment past ``Normalizer/growthFactor`` times its length plus ``Normalizer/growthSlack``.
struct NormalizerGrowth: Error {
    /// The segment's length in unicode scalars, before normalization.
    var length: Int
    /// The most scalars it may become.
    var limit: Int
}
