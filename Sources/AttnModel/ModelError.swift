/// Why a checkpoint cannot be turned into a model or run.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    /// The checkpoint path the error is about.
    public let path: String
    /// What is wrong, naming the key or tensor involved.
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
