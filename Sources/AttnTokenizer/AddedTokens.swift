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

    /// A trie over the tokens' scalars: node 0 is the root; `children[node]`
    /// maps a scalar value to the next node; `ids[node]` is the id of the token
    /// ending there, if any. Matching at one position walks at most the
    /// longest token's length, whatever the number of tokens.
    private let children: [[UInt32: Int32]]
    private let ids: [Int?]

    /// A matcher for `tokens` (content and id); empty contents are ignored,
    /// and of two equal contents the first one's id is kept.
    init(_ tokens: [(content: String, id: Int)]) {
        var children: [[UInt32: Int32]] = [[:]], ids: [Int?] = [nil]
        for token in tokens where !token.content.isEmpty {
            var node = 0
            for scalar in token.content.unicodeScalars {
                if let child = children[node][scalar.value] {
                    node = Int(child)
                } else {
                    children[node][scalar.value] = Int32(children.count)
                    node = children.count
                    children.append([:])
                    ids.append(nil)
                }
            }
            if ids[node] == nil { ids[node] = token.id }
        }
        self.children = children
        self.ids = ids
    }

    /// The text cut around every added token it contains.
    func split(_ text: [Unicode.Scalar]) -> [Part] {
        guard children[0].count > 0 else { return text.isEmpty ? [] : [.text(0..<text.count)] }
        var parts: [Part] = []
        var start = 0
        var index = 0
        while index < text.count {
            if let (id, length) = longestMatch(text, at: index) {
                if start < index { parts.append(.text(start..<index)) }
                parts.append(.token(id))
                index += length
                start = index
            } else {
                index += 1
            }
        }
        if start < text.count { parts.append(.text(start..<text.count)) }
        return parts
    }

    /// The id and scalar length of the longest token starting at `index`.
    private func longestMatch(_ text: [Unicode.Scalar], at index: Int) -> (id: Int, length: Int)? {
        var node = 0, best: (id: Int, length: Int)?
        var position = index
        while position < text.count, let child = children[node][text[position].value] {
            node = Int(child)
            position += 1
            if let id = ids[node] { best = (id, position - index) }
        }
        return best
    }
}
