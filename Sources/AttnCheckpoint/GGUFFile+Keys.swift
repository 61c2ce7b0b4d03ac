/// Typed, range-checked reading of metadata keys, for synthesizing configs.
extension GGUFFile {
    /// The integer at `key`, which must lie in `range`; a missing or
    /// out-of-range value throws naming the key.
    public func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = metadata[key] else { throw CheckpointError(file: url.path, key: key, "missing") }
        guard let value = raw.int, range.contains(value) else {
            throw CheckpointError(
                file: url.path, key: key,
                "\(raw.int.map(String.init) ?? "a non-integer value") is not an integer in \(range.lowerBound)...\(range.upperBound)"
            )
        }
        return value
    }

    /// The integer at `key` in `range`, or `fallback` when the key is absent.
    public func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        metadata[key] == nil ? fallback : try integer(key, in: range)
    }

    /// The finite positive number at `key`, or `fallback` when absent (a
    /// missing key without fallback throws).
    public func positive(_ key: String, default fallback: Double? = nil) throws -> Double {
        guard let raw = metadata[key] else {
            if let fallback { return fallback }
            throw CheckpointError(file: url.path, key: key, "missing")
        }
        guard let value = raw.double, value.isFinite, value > 0 else {
            throw CheckpointError(
                file: url.path, key: key,
                "\(raw.double.map { "\($0)" } ?? "a non-number") is not a finite positive number")
        }
        return value
    }

    /// The vocabulary size: the rows of `token_embd.weight`.
    public func vocabularySize() throws -> Int {
        guard let embedding = tensors["token_embd.weight"], embedding.shape.count == 2 else {
            throw CheckpointError(file: url.path, tensor: "token_embd.weight", "missing or not two-dimensional")
        }
        return embedding.shape[0]
    }
}
