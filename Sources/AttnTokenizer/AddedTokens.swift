/// Added and special tokens, found in the raw text before normalization and pre-tokenization.
///
/// Matching is leftmost-longest over unicode scalars (never `String` equality), as Hugging Face does for
/// tokens marked `normalized: false`. A token marked `lstrip` (`rstrip`) also takes the whitespace on its
/// left (right), as Hugging Face's added vocabulary does.
struct AddedTokens: Sendable {
    /// One part of the text: plain text to tokenize (scalar range) or an added token's id.
    enum Part: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    /// One token to find: its content, id, and whether a match takes the whitespace on its left and right.
    struct Entry {
        var content: String
        var id: Int
        var lstrip = false
        var rstrip = false
    }

    /// A trie over the tokens' scalars: node 0 is the root; `children[node]`
    /// maps a scalar value to the next node; `tokens[node]` is the token
    /// ending there, if any. Matching at one position walks at most the
    /// longest token's length, whatever the number of tokens.
    private let children: [[UInt32: Int32]]
    private let tokens: [Ending?]

    /// The token a trie node ends.
    private struct Ending: Sendable {
        var id: Int
        var lstrip, rstrip: Bool
    }

    /// A matcher that finds nothing.
    static let none = AddedTokens([Entry]())

    /// A matcher for `tokens` (content and id), none stripping whitespace.
    init(_ tokens: [(content: String, id: Int)]) {
        self.init(tokens.map { Entry(content: $0.content, id: $0.id) })
    }

    /// A matcher for `tokens`; empty contents are ignored, and of two equal contents the first one is kept.
    init(_ entries: [Entry]) {
        var children: [[UInt32: Int32]] = [[:]], tokens: [Ending?] = [nil]
        for entry in entries where !entry.content.isEmpty {
            var node = 0
            for scalar in entry.content.unicodeScalars {
                if let child = children[node][scalar.value] {
                    node = Int(child)
                } else {
                    children[node][scalar.value] = Int32(children.count)
                    node = children.count
                    children.append([:])
                    tokens.append(nil)
                }
            }
            if tokens[node] == nil { tokens[node] = Ending(id: entry.id, lstrip: entry.lstrip, rstrip: entry.rstrip) }
        }
        self.children = children
        self.tokens = tokens
    }

    /// The text cut around every added token it contains.
    func split(_ text: [Unicode.Scalar]) -> [Part] {
        guard children[0].count > 0 else { return text.isEmpty ? [] : [.text(0..<text.count)] }
        var parts: [Part] = []
        var start = 0
        var index = 0
        while index < text.count {
            if let (token, length) = longestMatch(text, at: index) {
                var begin = index
                if token.lstrip { while begin > start, text[begin - 1].properties.isWhitespace { begin -= 1 } }
                if start < begin { parts.append(.text(start..<begin)) }
                parts.append(.token(token.id))
                index += length
                if token.rstrip { while index < text.count, text[index].properties.isWhitespace { index += 1 } }
                start = index
            } else {
                index += 1
            }
        }
        if start < text.count { parts.append(.text(start..<text.count)) }
        return parts
    }

    /// The longest token starting at `index` and its length in scalars.
    private func longestMatch(_ text: [Unicode.Scalar], at index: Int) -> (token: Ending, length: Int)? {
        var node = 0, best: (token: Ending, length: Int)?
        var position = index
        while position < text.count, let child = children[node][text[position].value] {
            node = Int(child)
            position += 1
            if let token = tokens[node] { best = (token, position - index) }
        }
        return best
    }
}
