/// A GGUF metadata array, kept about as small in memory as in the file.
///
/// Numbers and bools stay as their little-endian bytes (one byte per u8
/// element, not one boxed value each), strings as `String`s and nested
/// arrays as arrays; elements are decoded on access.
public struct GGUFArray: Sendable, Equatable {
    /// The GGUF type of every element (0…12).
    public let elementType: UInt32
    private let storage: Storage

    private enum Storage: Sendable, Equatable {
        /// Fixed-size elements, `width` bytes each, as stored.
        case fixed(bytes: [UInt8], width: Int)
        case strings([String])
        case arrays([GGUFArray])
    }

    /// An array of fixed-size elements of `type` held as their stored bytes.
    init(fixed type: UInt32, bytes: [UInt8]) {
        let width = Self.fixedWidth(of: type) ?? 1
        assert(bytes.count % width == 0, "GGUFArray: \(bytes.count) bytes are not whole type-\(type) elements")
        elementType = type
        storage = .fixed(bytes: bytes, width: width)
    }

    /// An array of strings.
    init(strings: [String]) {
        elementType = 8
        storage = .strings(strings)
    }

    /// An array of arrays.
    init(arrays: [GGUFArray]) {
        elementType = 9
        storage = .arrays(arrays)
    }

    /// Bytes per element of the fixed-size types (numbers and bool), nil for strings and arrays.
    static func fixedWidth(of type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 10, 11, 12: 8
        default: nil
        }
    }

    /// The number of elements.
    public var count: Int {
        switch storage {
        case .fixed(let bytes, let width): bytes.count / width
        case .strings(let strings): strings.count
        case .arrays(let arrays): arrays.count
        }
    }

    /// Element `index` (0 ≤ index < count) as a value.
    public subscript(index: Int) -> GGUFValue {
        switch storage {
        case .strings(let strings): return .string(strings[index])
        case .arrays(let arrays): return .array(arrays[index])
        case .fixed(let bytes, let width):
            let offset = index * width
            func load<T: FixedWidthInteger>(_: T.Type) -> T {
                bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
            }
            switch elementType {
            case 0: return .uint8(load(UInt8.self))
            case 1: return .int8(load(Int8.self))
            case 2: return .uint16(load(UInt16.self))
            case 3: return .int16(load(Int16.self))
            case 4: return .uint32(load(UInt32.self))
            case 5: return .int32(load(Int32.self))
            case 6: return .float32(Float(bitPattern: load(UInt32.self)))
            case 7: return .bool(load(UInt8.self) != 0)
            case 10: return .uint64(load(UInt64.self))
            case 11: return .int64(load(Int64.self))
            default: return .float64(Double(bitPattern: load(UInt64.self)))
            }
        }
    }

    /// The elements, for an array of strings.
    public var strings: [String]? {
        if case .strings(let strings) = storage { return strings }
        return count == 0 ? [] : nil
    }

    /// The elements as `Int`, for an array of integers (nil if one does not fit).
    public var ints: [Int]? {
        guard case .fixed = storage, elementType != 6, elementType != 7, elementType != 12 else {
            return count == 0 ? [] : nil
        }
        var result: [Int] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let value = self[index].int else { return nil }
            result.append(value)
        }
        return result
    }

    /// The elements as `Float`, for an array of numbers (float32 elements unchanged).
    public var floats: [Float]? {
        guard case .fixed = storage, elementType != 7 else { return count == 0 ? [] : nil }
        var result: [Float] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            switch self[index] {
            case .float32(let f): result.append(f)
            case .float64(let d): result.append(Float(d))
            case let value:
                guard let i = value.int else { return nil }
                result.append(Float(i))
            }
        }
        return result
    }
}
