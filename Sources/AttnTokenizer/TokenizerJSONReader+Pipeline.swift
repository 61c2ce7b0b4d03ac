/// The normalizer, pre-tokenizer and post-processor sections of a `tokenizer.json`.
extension TokenizerJSONReader {
    /// A pre-tokenizer, whether it contains a `ByteLevel` step (bytes mapped to the GPT-2 alphabet), and the
    /// text-changing half of a `Metaspace` step, run after the normalizer.
    struct PreTokenizerSpec {
        var stages: PreTokenizer
        var isByteLevel: Bool
        var metaspace: Normalizer? = nil
    }

    /// The GPT-2 regex as `tokenizer.json` files write it in a `Split` step.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    /// The Llama-3 split regex.
    static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// nanochat's `SPLIT_PATTERN` (`nanochat/tokenizer.py`), as a converted `tokenizer.json` carries it.
    static let nanochatPattern =
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,2}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"#

    private func unsupported(_ key: String, _ type: String) -> TokenizerError {
        TokenizerError(file: file, key: key, message: "type \(type.debugDescription) is not supported")
    }

    func normalizer(_ json: JSONValue?, key: String) throws -> Normalizer? {
        guard let json, !json.isNull else { return nil }
        let type = json["type"]?.string ?? "(none)"
        switch type {
        case "BertNormalizer":
            let lowercase = json["lowercase"]?.bool ?? true
            let strip = json["strip_accents"].flatMap { $0.isNull ? nil : $0.bool } ?? lowercase
            return .bert(
                cleanText: json["clean_text"]?.bool ?? true,
                handleChineseChars: json["handle_chinese_chars"]?.bool ?? true,
                stripAccents: strip, lowercase: lowercase)
        case "Lowercase": return .lowercase
        case "Replace":
            guard let pattern = json["pattern"]?["String"]?.string else {
                throw TokenizerError(
                    file: file, key: "\(key).pattern", message: "only a String pattern is supported, not a Regex")
            }
            let content = try required(json["content"]?.string, "\(key).content", "a string")
            return .replace(pattern: Array(pattern.unicodeScalars), content: Array(content.unicodeScalars))
        case "Prepend":
            return .prepend(Array(try required(json["prepend"]?.string, "\(key).prepend", "a string").unicodeScalars))
        case "NFC": return .nfc
        case "NFKC": return .nfkc
        case "Sequence":
            let steps = json["normalizers"]?.array ?? []
            return .sequence(try steps.enumerated().compactMap { try normalizer($1, key: "\(key).normalizers[\($0)]") })
        default: throw unsupported("\(key).type", type)
        }
    }

    /// The pre-tokenizer at `key`; `first`: it is the first step (a `Metaspace` step must be, since its
    /// prepend scheme applies to what the normalizer hands over, not to pieces an earlier step cut).
    func preTokenizer(_ json: JSONValue?, key: String, first: Bool) throws -> PreTokenizerSpec {
        guard let json, !json.isNull else { return PreTokenizerSpec(stages: .whole, isByteLevel: false) }
        let type = json["type"]?.string ?? "(none)"
        switch type {
        case "ByteLevel":
            if json["add_prefix_space"]?.bool == true {
                throw TokenizerError(file: file, key: "\(key).add_prefix_space", message: "true is not supported")
            }
            return PreTokenizerSpec(stages: json["use_regex"]?.bool ?? true ? .gpt2 : .whole, isByteLevel: true)
        case "Digits":
            return PreTokenizerSpec(
                stages: .digits(individual: json["individual_digits"]?.bool ?? false), isByteLevel: false)
        case "BertPreTokenizer":
            return PreTokenizerSpec(stages: .bert, isByteLevel: false)
        case "Metaspace":
            guard first else {
                throw TokenizerError(
                    file: file, key: "\(key).type", message: "Metaspace after another pre-tokenizer is not supported")
            }
            let replacement = try required(json["replacement"]?.string, "\(key).replacement", "a string").unicodeScalars
            guard replacement.count == 1, let scalar = replacement.first else {
                throw TokenizerError(file: file, key: "\(key).replacement", message: "not a single character")
            }
            let scheme = json["prepend_scheme"]?.string ?? (json["add_prefix_space"]?.bool ?? true ? "always" : "never")
            guard ["always", "first", "never"].contains(scheme) else {
                throw TokenizerError(
                    file: file, key: "\(key).prepend_scheme", message: "\(scheme.debugDescription) is not supported")
            }
            let split = json["split"]?.bool ?? true
            return PreTokenizerSpec(
                stages: split ? .literal([scalar], behavior: .mergedWithNext) : .whole, isByteLevel: false,
                metaspace: .metaspace(replacement: scalar, prepend: scheme != "never", firstOnly: scheme == "first"))
        case "Split" where json["pattern"]?["String"] != nil:
            let pattern = try required(json["pattern"]?["String"]?.string, "\(key).pattern.String", "a string")
            guard let behavior = PreTokenizer.SplitBehavior(rawValue: json["behavior"]?.string ?? ""),
                json["invert"]?.bool != true
            else {
                throw TokenizerError(
                    file: file, key: "\(key).behavior",
                    message: "only Removed, Isolated, MergedWithPrevious or MergedWithNext, not inverted, are supported"
                )
            }
            return PreTokenizerSpec(
                stages: .literal(Array(pattern.unicodeScalars), behavior: behavior), isByteLevel: false)
        case "Split":
            let pattern = json["pattern"]?["Regex"]?.string ?? ""
            guard json["behavior"]?.string == "Isolated", json["invert"]?.bool != true else {
                throw TokenizerError(
                    file: file, key: "\(key).behavior", message: "only Isolated, not inverted, is supported")
            }
            if pattern.unicodeScalars.elementsEqual(Self.llama3Pattern.unicodeScalars) {
                return PreTokenizerSpec(stages: .llama3, isByteLevel: false)
            }
            if pattern.unicodeScalars.elementsEqual(Self.nanochatPattern.unicodeScalars) {
                return PreTokenizerSpec(stages: .nanochat, isByteLevel: false)
            }
            if pattern.unicodeScalars.elementsEqual(Self.gpt2Pattern.unicodeScalars) {
                return PreTokenizerSpec(stages: .gpt2, isByteLevel: false)
            }
            throw TokenizerError(
                file: file, key: "\(key).pattern",
                message: "split pattern \(pattern.debugDescription) is not supported (GPT-2, Llama-3, nanochat)")
        case "Sequence":
            let steps = try (json["pretokenizers"]?.array ?? []).enumerated().map {
                try preTokenizer($1, key: "\(key).pretokenizers[\($0)]", first: first && $0 == 0)
            }
            let stages = steps.map(\.stages).filter { $0 != .whole }
            return PreTokenizerSpec(
                stages: stages.isEmpty ? .whole : stages.count == 1 ? stages[0] : .sequence(stages),
                isByteLevel: steps.contains(where: \.isByteLevel), metaspace: steps.first?.metaspace)
        default: throw unsupported("\(key).type", type)
        }
    }

    /// Ids the post-processor puts before and after a single sequence.
    func postProcessor(_ json: JSONValue?, key: String) throws -> (prefix: [Int], suffix: [Int]) {
        guard let json, !json.isNull else { return ([], []) }
        let type = json["type"]?.string ?? "(none)"
        switch type {
        case "ByteLevel": return ([], [])
        case "BertProcessing", "RobertaProcessing":
            func id(_ name: String) throws -> Int {
                guard let pair = json[name]?.array, pair.count == 2, let id = pair[1].int else {
                    throw TokenizerError(file: file, key: "\(key).\(name)", message: "expected [token, id]")
                }
                return id
            }
            return ([try id("cls")], [try id("sep")])
        case "TemplateProcessing":
            var prefix: [Int] = []
            var suffix: [Int] = []
            var seenSequence = false
            for (index, item) in (json["single"]?.array ?? []).enumerated() {
                if item["Sequence"] != nil {
                    seenSequence = true
                } else if let name = item["SpecialToken"]?["id"]?.string {
                    guard let ids = json["special_tokens"]?[name]?["ids"]?.array?.compactMap(\.int) else {
                        throw TokenizerError(
                            file: file, key: "\(key).special_tokens", message: "no ids for \(name.debugDescription)")
                    }
                    if seenSequence { suffix += ids } else { prefix += ids }
                } else {
                    throw TokenizerError(
                        file: file, key: "\(key).single[\(index)]", message: "neither Sequence nor SpecialToken")
                }
            }
            return (prefix, suffix)
        case "Sequence":
            var prefix: [Int] = []
            var suffix: [Int] = []
            for (index, step) in (json["processors"]?.array ?? []).enumerated() {
                let added = try postProcessor(step, key: "\(key).processors[\(index)]")
                prefix = added.prefix + prefix
                suffix += added.suffix
            }
            return (prefix, suffix)
        default: throw unsupported("\(key).type", type)
        }
    }
}
