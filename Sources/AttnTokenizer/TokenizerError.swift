/// A tokenizer file that cannot be used: names the file, the key and what is wrong, on one line.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (or `GGUF metadata`) the tokenizer came from.
    public var file: String
    /// The key, tensor or JSON path that is wrong, e.g. `model.merges[12]`.
    public var key: String
    /// What is wrong with it.
    public var message: String

    /// A tokenizer error about `key` in `file`.
    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// `file: key: message` on one line.
    public var description: String {
        "\(file): \(key): \(message)".replacingOccurrences(of: "\n", with: " ")
    }
}
