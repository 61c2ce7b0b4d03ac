/// A failure the command line reports in one line (exit 65).
public enum ScopeError: Error, CustomStringConvertible, Sendable {
    /// The input (a file, a prompt, a checkpoint) is missing or wrong.
    case badInput(String)

    public var description: String {
        switch self {
        case .badInput(let message): message
        }
    }
}
