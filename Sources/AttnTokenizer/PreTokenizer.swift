/// How a text segment is cut into pre-tokens before the model encodes each one.
///
/// Every case is a hand-written scanner over unicode scalars equivalent to the Hugging Face pre-tokenizer
/// (and regex) it is named after; pre-tokens are ranges of scalar offsets into the segment.
indirect enum PreTokenizer: Sendable, Equatable {
    /// No split: the whole segment is one pre-token (`ByteLevel` with `use_regex: false`).
    case whole
    /// The GPT-2 regex of `ByteLevel` with `use_regex: true`.
    case gpt2
    /// The Llama-3 split regex (`Split` with that pattern, behaviour `Isolated`).
    case llama3
    /// nanochat's split regex (GPT-4's, numbers in runs of one or two digits): the Llama-3 scanner with runs of 2.
    case nanochat
    /// `Digits`: numbers isolated, one per digit when `individual`, else one per run.
    case digits(individual: Bool)
    /// `BertPreTokenizer`: whitespace removed, every punctuation character on its own.
    case bert
    /// `Split` on a literal pattern (`Metaspace` with `split: true` is `MergedWithNext` on its replacement).
    case literal([Unicode.Scalar], behavior: SplitBehavior)
    /// Each stage applied to every pre-token of the one before.
    case sequence([PreTokenizer])

    /// Where a matched delimiter goes (`tokenizers`' `SplitDelimiterBehavior`, less `Contiguous`).
    enum SplitBehavior: String, Sendable {
        /// Dropped.
        case removed = "Removed"
        /// A pre-token of its own.
        case isolated = "Isolated"
        /// Kept at the end of the pre-token before it.
        case mergedWithPrevious = "MergedWithPrevious"
        /// Kept at the start of the pre-token after it.
        case mergedWithNext = "MergedWithNext"
    }

    /// The pre-tokens of `text`, in order, as scalar ranges; empty ranges never appear.
    func split(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        pieces.reserveCapacity(text.count / 3 + 1)
        text.withUnsafeBufferPointer { scalars in
            apply(scalars, 0..<scalars.count, into: &pieces)
        }
        return pieces
    }

    private func apply(_ text: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>, into out: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        switch self {
        case .whole: out.append(range)
        case .gpt2: PreTokenizer.scanGPT2(text, range, into: &out)
        case .llama3: PreTokenizer.scanLlama3(text, range, digits: 3, into: &out)
        case .nanochat: PreTokenizer.scanLlama3(text, range, digits: 2, into: &out)
        case .digits(let individual): PreTokenizer.splitDigits(text, range, individual: individual, into: &out)
        case .bert: PreTokenizer.splitBert(text, range, into: &out)
        case .literal(let pattern, let behavior): PreTokenizer.splitLiteral(text, range, pattern, behavior, into: &out)
        case .sequence(let stages):
            var current = [range]
            for stage in stages {
                var next: [Range<Int>] = []
                next.reserveCapacity(current.count * 2)
                for piece in current { stage.apply(text, piece, into: &next) }
                current = next
            }
            out.append(contentsOf: current)
        }
    }

    private static func splitDigits(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>,
        individual: Bool, into out: inout [Range<Int>]
    ) {
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let numeric = text[index].isNumber
            var end = index + 1
            if numeric && !individual {
                while end < range.upperBound, text[end].isNumber { end += 1 }
            } else if !numeric {
                index += 1
                continue
            }
            if start < index { out.append(start..<index) }
            out.append(index..<end)
            start = end
            index = end
        }
        if start < range.upperBound { out.append(start..<range.upperBound) }
    }

    private static func splitBert(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>,
        into out: inout [Range<Int>]
    ) {
        var start = range.lowerBound
        for index in range {
            let scalar = text[index]
            if scalar.isSpace || scalar.isBertPunctuation {
                if start < index { out.append(start..<index) }
                if !scalar.isSpace { out.append(index..<index + 1) }
                start = index + 1
            }
        }
        if start < range.upperBound { out.append(start..<range.upperBound) }
    }

    /// Cuts `range` at every non-overlapping occurrence of `pattern`, placing each as `behavior` says.
    private static func splitLiteral(
        _ text: UnsafeBufferPointer<Unicode.Scalar>, _ range: Range<Int>,
        _ pattern: [Unicode.Scalar], _ behavior: SplitBehavior, into out: inout [Range<Int>]
    ) {
        guard !pattern.isEmpty else { return out.append(range) }
        var start = range.lowerBound  // start of the pending pre-token
        var index = range.lowerBound
        while index + pattern.count <= range.upperBound {
            guard (0..<pattern.count).allSatisfy({ text[index + $0] == pattern[$0] }) else {
                index += 1
                continue
            }
            let end = index + pattern.count
            switch behavior {
            case .removed, .isolated:
                if start < index { out.append(start..<index) }
                if behavior == .isolated { out.append(index..<end) }
                start = end
            case .mergedWithPrevious:
                out.append(start..<end)
                start = end
            case .mergedWithNext:
                if start < index { out.append(start..<index) }
                start = index
            }
            index = end
        }
        if start < range.upperBound { out.append(start..<range.upperBound) }
    }
}
