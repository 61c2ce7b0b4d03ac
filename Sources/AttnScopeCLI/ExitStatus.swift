import AttnAnalysis
import AttnCheckpoint
import AttnModel
import AttnRender
import AttnScope
import AttnTokenizer
import ArgumentParser
import Foundation

/// The documented exit codes.
enum ExitStatus {
    /// A bad flag or value (ArgumentParser's own validation errors use it too).
    static let usage: Int32 = 64
    /// A missing or malformed input: file, checkpoint, prompt.
    static let badInput: Int32 = 65
    /// A failure inside attnscope.
    static let internalError: Int32 = 70
    /// A file could not be written: the disk is full, the folder read-only (sysexits' EX_IOERR).
    static let writeFailed: Int32 = 74

    /// Runs `body`; prints any failure as one line on stderr and exits with its code.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            let (code, message) = classify(error)
            printError(message)
            throw ExitCode(code)
        }
    }

    /// Prints `attnscope: warning: <message>` as exactly one line on stderr (the command goes on).
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("attnscope: warning: \(oneLine(message))\n".utf8))
    }

    /// Prints `attnscope: error: <message>` as exactly one line on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("attnscope: error: \(oneLine(message))\n".utf8))
    }

    /// The longest message printed; longer ones (a huge key or path quoted from a file) are cut.
    static let maxMessageCharacters = 2000

    /// `message` with line breaks and other control characters written as
    /// escapes (`\n`, `\u{1B}`), so text quoted from a file can never split the
    /// line or drive the terminal, and cut to ``maxMessageCharacters``.
    static func oneLine(_ message: String) -> String {
        var result = ""
        for (index, scalar) in message.unicodeScalars.enumerated() {
            if index == maxMessageCharacters {
                result += "…"
                break
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += " "
            case _
            where scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator:
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func classify(_ error: Error) -> (Int32, String) {
        switch error {
        case let e as VariantParseError: (usage, e.description)
        case let e as ScopeError:
            if case .usage = e { (usage, e.description) } else { (badInput, e.description) }
        case let e as CheckpointError: (badInput, e.description)
        case let e as OutputError:
            if case .refused = e { (badInput, e.description) } else { (writeFailed, e.description) }
        case let e as ModelError: (badInput, e.description)
        case let e as TokenizerError: (badInput, e.description)
        case let e as AnalysisError: (badInput, e.description)
        case let e as RenderError: (badInput, "\(e)")
        default: (internalError, "\(error)")
        }
    }
}
