/// A failure to read a checkpoint, naming the file and, where one applies,
/// the tensor or metadata key and the byte offset.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    /// Path of the file (or folder) being read.
    public let file: String
    /// The tensor concerned, if any.
    public let tensor: String?
    /// The metadata or JSON key concerned, if any.
    public let key: String?
    /// The byte offset in `file` where the problem was found, if any.
    public let offset: Int?
    /// What went wrong.
    public let message: String

    /// Creates an error; `file` should be the path as the user gave it.
    public init(file: String, tensor: String? = nil, key: String? = nil, offset: Int? = nil, _ message: String) {
        self.file = file
        self.tensor = tensor
        self.key = key
        self.offset = offset
        self.message = message
    }

    /// One line: `file: tensor 'name': key 'k': message at offset N`.
    public var description: String {
        var text = file
        if let tensor { text += ": tensor '\(tensor)'" }
        if let key { text += ": key '\(key)'" }
        text += ": " + message
        if let offset { text += " at offset \(offset)" }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
