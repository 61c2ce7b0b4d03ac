/// Writes small GGUF files byte by byte, so tests can make valid and broken ones.
public struct GGUFBuilder {
    public var version: UInt32 = 3
    public var metadata: [UInt8] = []
    public var metadataCount: UInt64 = 0
    public var infos: [UInt8] = []
    public var tensorCount: UInt64 = 0
    public var data: [UInt8] = []
    public var alignment = 32

    public init() {}

    /// Appends a GGUF string (u64 length + UTF-8) to `bytes`.
    public static func string(_ s: String, into bytes: inout [UInt8]) {
        bytes.append(le: UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }

    /// Adds a string metadata value.
    public mutating func add(_ key: String, string value: String) {
        Self.string(key, into: &metadata)
        metadata.append(le: UInt32(8))
        Self.string(value, into: &metadata)
        metadataCount += 1
    }

    /// Adds a u32 metadata value.
    public mutating func add(_ key: String, u32 value: UInt32) {
        Self.string(key, into: &metadata)
        metadata.append(le: UInt32(4))
        metadata.append(le: value)
        metadataCount += 1
    }

    /// Adds an f32 metadata value.
    public mutating func add(_ key: String, f32 value: Float) {
        Self.string(key, into: &metadata)
        metadata.append(le: UInt32(6))
        metadata.append(le: value.bitPattern)
        metadataCount += 1
    }

    /// Adds a u64 metadata value.
    public mutating func add(_ key: String, u64 value: UInt64) {
        add(key, type: 10) { $0.append(le: value) }
    }

    /// Adds a metadata value of GGUF type `type` whose encoding `payload` writes.
    public mutating func add(_ key: String, type: UInt32, payload: (inout [UInt8]) -> Void) {
        Self.string(key, into: &metadata)
        metadata.append(le: type)
        payload(&metadata)
        metadataCount += 1
    }

    /// Adds a tensor with dims fastest-first, GGML type number and raw bytes
    /// (padded to the alignment); `offset` overrides the stored offset.
    public mutating func addTensor(_ name: String, dims: [UInt64], type: UInt32, bytes: [UInt8], offset: UInt64? = nil)
    {
        Self.string(name, into: &infos)
        infos.append(le: UInt32(dims.count))
        for d in dims { infos.append(le: d) }
        infos.append(le: type)
        infos.append(le: offset ?? UInt64(data.count))
        data += bytes
        while data.count % alignment != 0 { data.append(0) }
        tensorCount += 1
    }

    /// The whole file: header, metadata, tensor infos, padding, data.
    public var bytes: [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8)
        out.append(le: version)
        out.append(le: tensorCount)
        out.append(le: metadataCount)
        out += metadata
        out += infos
        while out.count % alignment != 0 { out.append(0) }
        return out + data
    }
}
