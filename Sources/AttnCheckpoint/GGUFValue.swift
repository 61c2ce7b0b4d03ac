/// One GGUF metadata value, tagged with its on-disk type (types 0…12).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    case array(GGUFArray)

    /// Any integer value as `Int` (nil for non-integers and a u64 over `Int.max`).
    public var int: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// Any numeric value as `Double`; a float32 becomes the double with the
    /// same shortest decimal form (so 1e-5 as f32 reads as 1e-5).
    public var double: Double? {
        switch self {
        case .float32(let v): v.isFinite ? Double(v.description) ?? Double(v) : Double(v)
        case .float64(let v): v
        default: int.map(Double.init)
        }
    }

    /// The string, for a string value.
    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The array, for an array value.
    public var array: GGUFArray? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// The elements of an array of strings.
    public var stringArray: [String]? { array?.strings }

    /// The elements of an array of integers.
    public var intArray: [Int]? { array?.ints }

    /// The elements of an array of numbers, as `Float` (float32 elements unchanged).
    public var floatArray: [Float]? { array?.floats }
}
