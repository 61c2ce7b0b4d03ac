/// The element encodings this module can turn into `Float`.
///
/// The float types store one value per element. The quantized types store
/// blocks along the fastest-varying dimension: 32 values for the legacy ones
/// (Q4_0 … Q8_0) and for MXFP4, super-blocks of 256 values for the K-quants (Q2_K … Q6_K).
public enum TensorDType: String, Sendable, Codable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
    case q4_0 = "Q4_0", q4_1 = "Q4_1", q5_0 = "Q5_0", q5_1 = "Q5_1", q8_0 = "Q8_0"
    case q2_k = "Q2_K", q3_k = "Q3_K", q4_k = "Q4_K", q5_k = "Q5_K", q6_k = "Q6_K"
    /// OCP microscaling FP4 (GPT-OSS's experts): an E8M0 scale and 32 E2M1 values per block.
    case mxfp4 = "MXFP4"

    /// Elements per block: 1 for the float types, 32 for the legacy quantized
    /// ones, 256 for the K-quants.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .mxfp4: 32
        case .q2_k, .q3_k, .q4_k, .q5_k, .q6_k: 256
        }
    }

    /// Bytes per block (per element for the float types), as gguf-py's
    /// `GGML_QUANT_SIZES` gives them.
    public var blockBytes: Int {
        switch self {
        case .f16, .bf16: 2
        case .f32: 4
        case .f64: 8
        case .q4_0: 18  // fp16 d + 16 bytes of nibbles
        case .q4_1: 20  // fp16 d, fp16 m + 16 bytes of nibbles
        case .q5_0: 22  // fp16 d, 4 bytes of fifth bits + 16 bytes of nibbles
        case .q5_1: 24  // fp16 d, fp16 m, 4 bytes of fifth bits + 16 bytes of nibbles
        case .q8_0: 34  // fp16 d + 32 int8
        case .q2_k: 84  // 16 scale/min bytes, 64 bytes of 2-bit values, fp16 d, fp16 dmin
        case .q3_k: 110  // 32 bytes of third bits, 64 bytes of 2-bit values, 12 scale bytes, fp16 d
        case .q4_k: 144  // fp16 d, fp16 dmin, 12 scale/min bytes, 128 bytes of nibbles
        case .q5_k: 176  // fp16 d, fp16 dmin, 12 scale/min bytes, 32 bytes of fifth bits, 128 bytes of nibbles
        case .q6_k: 210  // 128 bytes of nibbles, 64 bytes of 2-bit high parts, 16 int8 scales, fp16 d
        case .mxfp4: 17  // E8M0 scale byte + 16 bytes of E2M1 nibbles
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
