/// One GGUF metadata value, tagged with its on-disk type (types 0…12).
public indirect enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    case array([GGUFValue])

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
        case .float32(let v): Double(v.description) ?? Double(v)
        case .float64(let v): v
        default: int.map(Double.init)
        }
    }

    /// The string, for a string value.
    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The elements, for an array value.
    public var array: [GGUFValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// The elements of an array whose elements are all strings.
    public var stringArray: [String]? {
        guard let array else { return nil }
        var result: [String] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard case .string(let s) = element else { return nil }
            result.append(s)
        }
        return result
    }

    /// The elements of an array whose elements are all integers.
    public var intArray: [Int]? {
        guard let array else { return nil }
        var result: [Int] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let i = element.int else { return nil }
            result.append(i)
        }
        return result
    }

    /// The elements of an array whose elements are all numbers, as `Float`
    /// (float32 elements unchanged).
    public var floatArray: [Float]? {
        guard let array else { return nil }
        var result: [Float] = []
        result.reserveCapacity(array.count)
        for element in array {
            switch element {
            case .float32(let f): result.append(f)
            case .float64(let d): result.append(Float(d))
            default:
                guard let i = element.int else { return nil }
                result.append(Float(i))
            }
        }
        return result
    }
}
