/// A parsed JSON value that keeps object keys exactly as written, in order.
///
/// Object members are a list of key/value pairs rather than a Swift dictionary: a dictionary keyed by `String`
/// compares keys by canonical equivalence and would merge vocabulary entries that differ in their bytes.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The member named `key` (ASCII key names only), or nil when absent or not an object.
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    /// The string, or nil.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer value of a number without a fraction, or nil.
    var int: Int? {
        guard case .number(let value) = self, value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// The boolean, or nil.
    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array, or nil.
    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members of an object in file order, or nil.
    var members: [(key: String, value: JSONValue)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// True for `null`.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
