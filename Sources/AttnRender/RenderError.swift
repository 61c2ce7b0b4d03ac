/// Why a figure or PNG could not be produced or read; every case names the file or input.
public enum RenderError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Writing the PNG at `path` failed; `reason` is libpng's or the file system's message.
    case writeFailed(path: String, reason: String)
    /// Reading the PNG at `path` failed; `reason` is libpng's or the file system's message.
    case readFailed(path: String, reason: String)
    /// A figure input is inconsistent (e.g. `values.count != rows * cols`); `what` names the input.
    case invalidInput(what: String, reason: String)

    /// One line naming the file or input and the problem.
    public var description: String {
        switch self {
        case .writeFailed(let path, let reason): "cannot write PNG \(path): \(reason)"
        case .readFailed(let path, let reason): "cannot read PNG \(path): \(reason)"
        case .invalidInput(let what, let reason): "invalid figure input \(what): \(reason)"
        }
    }
}
