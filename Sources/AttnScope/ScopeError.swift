/// A failure the command line reports in one line.
public enum ScopeError: Error, CustomStringConvertible, Sendable {
    /// The input (a file, a prompt, a checkpoint) is missing or wrong (exit 65).
    case badInput(String)
    /// A value given on the command line does not fit the model or the run (exit 64).
    case usage(String)

    /// The one-line message the command prints.
    public var description: String {
        switch self {
        case .badInput(let message), .usage(let message): message
        }
    }
}
