import AttnCheckpoint
import Foundation

/// NumPy `.npy` files (format version 1.0) of little-endian float32 arrays.
public enum NPYFile {
    /// Writes `values` as a C-ordered float32 array of `shape`.
    public static func write(_ values: UnsafeBufferPointer<Float>, shape: [Int], to url: URL) throws {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + values.count * 4)
        for value in values {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { data.append(contentsOf: $0) }
        }
        try OutputFile.write(data, to: url)
    }

    /// Reads a float32 `.npy` file written by ``write(_:shape:to:)`` (or by
    /// NumPy: version 1.0–3.0, `<f4`, C order); returns the values and shape.
    public static func read(from url: URL) throws -> (values: [Float], shape: [Int]) {
        try read(from: url, contents: try InputFile.contents(of: url, limit: InputFile.Limit.array))
    }

    /// Parses `data`, the bytes of the `.npy` file `url` (named in errors).
    static func read(from url: URL, contents data: Data) throws -> (values: [Float], shape: [Int]) {
        func bad(_ message: String) -> ScopeError { .badInput("\(url.path): \(message)") }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Data(bytes[1..<6]) == Data("NUMPY".utf8) else {
            throw bad("not a .npy file (bad magic at offset 0)")
        }
        let major = bytes[6]
        let (lengthBytes, start): (Int, Int) = major == 1 ? (2, 10) : (4, 12)
        guard bytes.count >= start else { throw bad("truncated header at offset 8") }
        let length = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        guard start + length <= data.count,
            let header = String(data: data.subdata(in: start..<(start + length)), encoding: .utf8)
        else {
            throw bad("header of \(length) bytes runs past the end of the file at offset \(start)")
        }
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
            let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
        else {
            throw bad(
                "only C-ordered little-endian float32 arrays are supported (header: \(header.prefix(200).trimmingCharacters(in: .whitespacesAndNewlines)))"
            )
        }
        var shape: [Int] = []
        var count = 1
        let parts = header[open.upperBound..<close].split(separator: ",", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text.isEmpty, index == parts.count - 1 { continue }  // `()` or the trailing comma of `(3,)`
            guard let dim = Int(text), dim >= 0 else {
                throw bad("shape entry '\(text.prefix(40))' is not a dimension (offset 10)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw bad("shape \(shape + [dim]) has more elements than can be addressed") }
            shape.append(dim)
            count = product
        }
        let offset = start + length
        guard count <= (data.count - offset) / 4, data.count - offset == count * 4 else {
            throw bad(
                "shape \(shape) needs \(count) float32 values at offset \(offset), the file has \(data.count - offset) bytes"
            )
        }
        let values = data.withUnsafeBytes { raw in
            (0..<count).map {
                Float(
                    bitPattern: UInt32(
                        littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self)))
            }
        }
        return (values, shape)
    }
}
