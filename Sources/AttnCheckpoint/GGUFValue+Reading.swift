extension GGUFValue {
    /// Reads one value of GGUF type `type` (0…12); arrays recurse up to
    /// `depth` levels. Array counts are checked against the bytes left before
    /// anything is allocated.
    static func read(type: UInt32, from reader: inout ByteReader, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try reader.integer(UInt8.self, "u8 value"))
        case 1: return .int8(try reader.integer(Int8.self, "i8 value"))
        case 2: return .uint16(try reader.integer(UInt16.self, "u16 value"))
        case 3: return .int16(try reader.integer(Int16.self, "i16 value"))
        case 4: return .uint32(try reader.integer(UInt32.self, "u32 value"))
        case 5: return .int32(try reader.integer(Int32.self, "i32 value"))
        case 6: return .float32(try reader.float32("f32 value"))
        case 7:
            let start = reader.offset
            let byte = try reader.integer(UInt8.self, "bool value")
            guard byte <= 1 else {
                throw CheckpointError(file: reader.file, offset: start, "bool value \(byte) is not 0 or 1")
            }
            return .bool(byte == 1)
        case 8: return .string(try reader.string("string value"))
        case 9: return try readArray(from: &reader, depth: depth)
        case 10: return .uint64(try reader.integer(UInt64.self, "u64 value"))
        case 11: return .int64(try reader.integer(Int64.self, "i64 value"))
        case 12: return .float64(try reader.float64("f64 value"))
        default:
            throw CheckpointError(file: reader.file, offset: reader.offset, "unknown metadata value type \(type)")
        }
    }

    /// Smallest encoded size of one element of `type`, for bounding counts.
    private static func minimumSize(of type: UInt32) -> Int {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 8, 10, 11, 12: 8
        case 9: 12
        default: 1
        }
    }

    private static func readArray(from reader: inout ByteReader, depth: Int) throws -> GGUFValue {
        guard depth < 8 else {
            throw CheckpointError(file: reader.file, offset: reader.offset, "arrays nested deeper than 8 levels")
        }
        let elementType = try reader.integer(UInt32.self, "array element type")
        let countOffset = reader.offset
        let count = try reader.count("array count")
        let (needed, overflow) = count.multipliedReportingOverflow(by: minimumSize(of: elementType))
        guard !overflow, needed <= reader.remaining else {
            throw CheckpointError(file: reader.file, offset: countOffset,
                                  "truncated array: \(count) elements cannot fit in \(reader.remaining) bytes")
        }
        var elements: [GGUFValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try read(type: elementType, from: &reader, depth: depth + 1))
        }
        return .array(elements)
    }
}
