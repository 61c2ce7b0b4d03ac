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
        case 9: return .array(try readArray(from: &reader, depth: depth))
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
        case 8: 8  // u64 length
        case 9: 12  // element type + count
        default: GGUFArray.fixedWidth(of: type) ?? 1
        }
    }

    /// Reads an array: u32 element type, u64 count, elements. Numbers and
    /// bools are copied as their bytes, so memory stays near the file size.
    private static func readArray(from reader: inout ByteReader, depth: Int) throws -> GGUFArray {
        guard depth < 8 else {
            throw CheckpointError(file: reader.file, offset: reader.offset, "arrays nested deeper than 8 levels")
        }
        let typeOffset = reader.offset
        let elementType = try reader.integer(UInt32.self, "array element type")
        guard elementType <= 12 else {
            throw CheckpointError(file: reader.file, offset: typeOffset, "unknown array element type \(elementType)")
        }
        let countOffset = reader.offset
        let count = try reader.count("array count")
        let (needed, overflow) = count.multipliedReportingOverflow(by: minimumSize(of: elementType))
        guard !overflow, needed <= reader.remaining else {
            throw CheckpointError(
                file: reader.file, offset: countOffset,
                "truncated array: \(count) elements cannot fit in \(reader.remaining) bytes")
        }
        switch elementType {
        case 8:
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count { strings.append(try reader.string("string element")) }
            return GGUFArray(strings: strings)
        case 9:
            var arrays: [GGUFArray] = []
            for _ in 0..<count { arrays.append(try readArray(from: &reader, depth: depth + 1)) }
            return GGUFArray(arrays: arrays)
        default:
            let start = reader.offset
            let bytes = try reader.slice(needed, "array elements")
            if elementType == 7, let bad = bytes.firstIndex(where: { $0 > 1 }) {
                throw CheckpointError(file: reader.file, offset: start + bad, "bool value \(bytes[bad]) is not 0 or 1")
            }
            return GGUFArray(fixed: elementType, bytes: Array(bytes))
        }
    }
}
