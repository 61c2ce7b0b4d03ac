/// A failure the command line reports in one line, with its exit code.
public enum ScopeError: Error, CustomStringConvertible, Sendable {
    /// The input (a file, a prompt, a checkpoint) is missing or wrong: exit 65.
    case badInput(String)
    /// Something inside attnscope went wrong: exit 70.
    case internalError(String)

    public var description: String {
        switch self {
        case .badInput(let message), .internalError(let message): message
        }
    }
}
