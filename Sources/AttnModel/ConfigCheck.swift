import AttnCheckpoint

/// Checks a family's config values before any becomes a size, a product or
/// a loop bound; each failure is a `ModelError` naming config.json and the key.
struct ConfigCheck {
    /// The checkpoint path, for errors.
    let path: String

    /// `value` of `key` when it lies in `range` (see ``ModelLimits``).
    @discardableResult
    func count(_ key: String, _ value: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw ModelError(
                path: path, "config.json: \(key) \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `value` of `key` when it is finite and positive (a RoPE base).
    @discardableResult
    func positive<F: BinaryFloatingPoint>(_ key: String, _ value: F) throws -> F {
        guard value.isFinite, value > 0 else {
            throw ModelError(path: path, "config.json: \(key) \(Double(value)) is not a finite positive number")
        }
        return value
    }

    /// `value` of `key` when it is finite and not negative (a norm epsilon).
    @discardableResult
    func nonNegative<F: BinaryFloatingPoint>(_ key: String, _ value: F) throws -> F {
        guard value.isFinite, value >= 0 else {
            throw ModelError(path: path, "config.json: \(key) \(Double(value)) is not a finite number ≥ 0")
        }
        return value
    }

    /// ``count(_:_:_:)`` for a coding key, so a config key is spelled once, in its `CodingKeys`.
    @discardableResult
    func count(_ key: some CodingKey, _ value: Int, _ range: ClosedRange<Int>) throws -> Int {
        try count(key.stringValue, value, range)
    }

    /// ``positive(_:_:)`` for a coding key.
    @discardableResult
    func positive<F: BinaryFloatingPoint>(_ key: some CodingKey, _ value: F) throws -> F {
        try positive(key.stringValue, value)
    }

    /// ``nonNegative(_:_:)`` for a coding key.
    @discardableResult
    func nonNegative<F: BinaryFloatingPoint>(_ key: some CodingKey, _ value: F) throws -> F {
        try nonNegative(key.stringValue, value)
    }
}
