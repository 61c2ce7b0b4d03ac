import Foundation

/// A fresh temporary folder for files a test writes; removed on deinit.
public final class TempFolder {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("attnscope-ckpt-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    private var kept = false

    deinit { if !kept { try? FileManager.default.removeItem(at: url) } }

    /// The folder's URL, left on disk after the object goes away (for helpers that return a path).
    public func keep() -> URL {
        kept = true
        return url
    }

    /// Writes `bytes` to `name` inside the folder and returns its URL.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    /// Writes a UTF-8 string to `name` inside the folder and returns its URL.
    @discardableResult
    public func write(_ name: String, text: String) throws -> URL {
        try write(name, Array(text.utf8))
    }
}

/// Little-endian byte encoding helpers for hand-made files.
extension Array where Element == UInt8 {
    public mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    public mutating func append(floats: [Float]) {
        for f in floats { append(le: f.bitPattern) }
    }
}

/// The bytes of a safetensors file: 8-byte header length, the JSON text, the data.
public func safetensorsBytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    var bytes: [UInt8] = []
    bytes.append(le: declaredLength ?? UInt64(json.count))
    bytes += json
    bytes += data
    return bytes
}
