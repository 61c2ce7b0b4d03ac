/// A bounds-checked little-endian cursor over a byte buffer.
///
/// Every read checks that enough bytes remain and throws a `CheckpointError`
/// carrying the file and the offset of the failed read.
struct ByteReader {
    /// The file the bytes come from, for error messages.
    let file: String
    /// The bytes being read.
    let bytes: UnsafeRawBufferPointer
    /// Offset of the next read from the start of `bytes`.
    private(set) var offset: Int

    /// A reader over `bytes` starting at `offset`.
    init(file: String, bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.file = file
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left after `offset`.
    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available; `what` names the item.
    func require(_ count: Int, _ what: String) throws {
        guard count >= 0, count <= remaining else {
            throw CheckpointError(
                file: file, offset: offset,
                "truncated \(what): needs \(count) bytes, \(remaining) left")
        }
    }

    /// Reads a fixed-size little-endian integer.
    mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size, what)
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// Reads a little-endian u64 that must fit in `Int`.
    mutating func count(_ what: String) throws -> Int {
        let start = offset
        let value = try integer(UInt64.self, what)
        guard value <= UInt64(Int.max) else {
            throw CheckpointError(file: file, offset: start, "\(what) \(value) is too large")
        }
        return Int(value)
    }

    /// Reads a little-endian IEEE single.
    mutating func float32(_ what: String) throws -> Float {
        Float(bitPattern: try integer(UInt32.self, what))
    }

    /// Reads a little-endian IEEE double.
    mutating func float64(_ what: String) throws -> Double {
        Double(bitPattern: try integer(UInt64.self, what))
    }

    /// Reads `count` raw bytes.
    mutating func slice(_ count: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        try require(count, what)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Reads a GGUF string: u64 byte length then UTF-8 bytes (invalid
    /// sequences are replaced).
    mutating func string(_ what: String) throws -> String {
        let length = try count("\(what) length")
        let raw = try slice(length, what)
        return String(decoding: raw, as: UTF8.self)
    }
}
