/// The JSON header as written: `__metadata__` plus one entry per tensor.
struct RawHeader: Decodable {
    let metadata: [String: String]
    let entries: [String: RawEntry]

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes every key; a malformed entry throws a `CheckpointError`
    /// naming the tensor (the caller fills in the file).
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var metadata: [String: String] = [:]
        var entries: [String: RawEntry] = [:]
        for key in container.allKeys {
            do {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    entries[key.stringValue] = try container.decode(RawEntry.self, forKey: key)
                }
            } catch {
                let reason = "bad header entry: \(DecodingError.oneLineDescription(of: error))"
                throw key.stringValue == "__metadata__"
                    ? CheckpointError(file: "", key: key.stringValue, reason)
                    : CheckpointError(file: "", tensor: key.stringValue, reason)
            }
        }
        self.metadata = metadata
        self.entries = entries
    }
}

/// One tensor's header entry as written.
struct RawEntry: Decodable {
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype
        case shape
        case dataOffsets = "data_offsets"
    }
}
