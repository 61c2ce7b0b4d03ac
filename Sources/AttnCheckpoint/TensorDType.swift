/// The element encodings this module can turn into `Float`.
///
/// The float types store one value per element; the quantized types store
/// blocks of 32 values along the fastest-varying dimension.
public enum TensorDType: String, Sendable, Codable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
    case q4_0 = "Q4_0", q4_1 = "Q4_1", q8_0 = "Q8_0"

    /// Elements per block: 1 for the float types, 32 for the quantized ones.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64: 1
        case .q4_0, .q4_1, .q8_0: 32
        }
    }

    /// Bytes per block (per element for the float types).
    public var blockBytes: Int {
        switch self {
        case .f16, .bf16: 2
        case .f32: 4
        case .f64: 8
        case .q4_0: 18  // fp16 d + 16 bytes of nibbles
        case .q4_1: 20  // fp16 d, fp16 m + 16 bytes of nibbles
        case .q8_0: 34  // fp16 d + 32 int8
        }
    }

    /// Bytes needed for `count` elements, or nil on overflow or a count that
    /// is not a whole number of blocks.
    public func byteCount(elements count: Int) -> Int? {
        guard count >= 0, count % blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / blockSize).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}
