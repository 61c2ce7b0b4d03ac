/// Added and special tokens, found in the raw text before normalization and pre-tokenization.
///
/// Matching is leftmost-longest over unicode scalars (never `String` equality), as Hugging Face does for
/// tokens marked `normalized: false`.
struct AddedTokens: Sendable {
    /// One part of the text: plain text to tokenize (scalar range) or an added token's id.
    enum Part: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    /// Tokens as scalar values with their ids, grouped by first scalar, longest first.
    private let byFirstScalar: [UInt32: [(scalars: [UInt32], id: Int)]]

    /// A matcher for `tokens` (content and id); empty contents are ignored.
    init(_ tokens: [(content: String, id: Int)]) {
        var table: [UInt32: [(scalars: [UInt32], id: Int)]] = [:]
        for token in tokens {
            let scalars = token.content.unicodeScalars.map(\.value)
            guard let first = scalars.first else { continue }
            table[first, default: []].append((scalars, token.id))
        }
        byFirstScalar = table.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    /// The text cut around every added token it contains.
    func split(_ text: [Unicode.Scalar]) -> [Part] {
        guard !byFirstScalar.isEmpty else { return text.isEmpty ? [] : [.text(0..<text.count)] }
        var parts: [Part] = []
        var start = 0
        var index = 0
        while index < text.count {
            if let candidates = byFirstScalar[text[index].value],
               let match = candidates.first(where: { matches($0.scalars, text, at: index) }) {
                if start < index { parts.append(.text(start..<index)) }
                parts.append(.token(match.id))
                index += match.scalars.count
                start = index
            } else {
                index += 1
            }
        }
        if start < text.count { parts.append(.text(start..<text.count)) }
        return parts
    }

    private func matches(_ token: [UInt32], _ text: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + token.count <= text.count else { return false }
        for offset in token.indices where text[index + offset].value != token[offset] { return false }
        return true
    }
}
