import AttnCheckpoint
import Foundation

/// One input to analyze: text to tokenize, or token ids given directly.
public struct Prompt: Sendable, Equatable {
    /// The text; nil for ids alone.
    public var text: String?
    /// The token ids, run as given; nil to tokenize ``text``.
    public var tokenIDs: [Int]?

    /// A text prompt (needs the checkpoint's tokenizer).
    public init(text: String) {
        self.text = text
        tokenIDs = nil
    }

    /// A prompt of token ids, with the text they came from if any.
    public init(tokenIDs: [Int], text: String? = nil) {
        self.text = text
        self.tokenIDs = tokenIDs
    }
}

extension Prompt {
    /// Reads a prompt file: JSON Lines whose objects have `"text"` or
    /// `"token_ids"` (other keys ignored), or plain text with one prompt per
    /// line. A file whose first non-blank line starts with `{` is JSON Lines.
    /// Lines end in LF or CRLF. Blank lines are skipped; a malformed line is
    /// an error naming the file and the line number.
    public static func read(from url: URL) throws -> [Prompt] {
        guard
            let content = String(data: try InputFile.contents(of: url, limit: InputFile.Limit.prompts), encoding: .utf8)
        else {
            throw ScopeError.badInput("\(url.path): the prompt file is not UTF-8 text")
        }
        return try parse(content, file: url.path)
    }

    /// The prompts of a prompt file's `content` (see ``read(from:)``); `file` names it in errors.
    package static func parse(_ content: String, file: String) throws -> [Prompt] {
        // Split on scalars: as Characters, "\r\n" is one grapheme that no "\n" split would cut (CRLF files).
        let lines = content.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line))
        }
        let isJSONLines = lines.first { !$0.allSatisfy(\.isWhitespace) }?.drop(while: \.isWhitespace).first == "{"
        var prompts: [Prompt] = []
        for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            if isJSONLines {
                prompts.append(try parseJSONLine(String(line), file: file, line: index + 1))
            } else {
                prompts.append(Prompt(text: String(line)))
            }
        }
        guard !prompts.isEmpty else { throw ScopeError.badInput("\(file): no prompts in the file") }
        return prompts
    }

    private struct Line: Decodable {
        var text: String?
        var tokenIDs: [Int]?
        enum CodingKeys: String, CodingKey {
            case text
            case tokenIDs = "token_ids"
        }
    }

    private static func parseJSONLine(_ line: String, file: String, line number: Int) throws -> Prompt {
        let parsed: Line
        do { parsed = try JSONDecoder().decode(Line.self, from: Data(line.utf8)) } catch let error as DecodingError {
            throw ScopeError.badInput(
                "\(file):\(number): not a JSON object with \"text\" or \"token_ids\" (\(error.oneLineDescription))")
        }
        if let ids = parsed.tokenIDs {
            guard !ids.isEmpty else { throw ScopeError.badInput("\(file):\(number): \"token_ids\" is empty") }
            return Prompt(tokenIDs: ids, text: parsed.text)
        }
        guard let text = parsed.text else {
            throw ScopeError.badInput("\(file):\(number): the object has neither \"text\" nor \"token_ids\"")
        }
        return Prompt(text: text)
    }
}
