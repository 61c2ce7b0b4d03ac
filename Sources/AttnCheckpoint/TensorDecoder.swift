/// Turns encoded tensor bytes into `Float`s, exactly as gguf-py and
/// safetensors/PyTorch do.
///
/// Input is the tensor's raw bytes (any alignment); output is row-major
/// floats in the same element order. Quantized types decode blocks of 32:
/// fp16 scales are first widened to float32, then Q4_0 gives `(q - 8) * d`,
/// Q4_1 gives `q * d + m` and Q8_0 gives `q * d`, with the low nibbles of the
/// 16 packed bytes holding elements 0…15 and the high nibbles 16…31.
enum TensorDecoder {
    /// Decodes `count` elements of `dtype` from `source`; the caller has
    /// checked that `source` holds exactly `dtype.byteCount(elements: count)` bytes.
    static func decode(_ source: UnsafeRawBufferPointer, dtype: TensorDType, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0, let src = source.baseAddress, let dst = out.baseAddress {
                switch dtype {
                case .f32: decodeF32(src, dst, count)
                case .f16: decodeF16(src, dst, count)
                case .bf16: decodeBF16(src, dst, count)
                case .f64: decodeF64(src, dst, count)
                case .q4_0: decodeQ4_0(src, dst, count / 32)
                case .q4_1: decodeQ4_1(src, dst, count / 32)
                case .q8_0: decodeQ8_0(src, dst, count / 32)
                }
            }
            initialized = count
        }
    }

    /// An fp16 bit pattern at `offset`, widened to float32.
    @inline(__always)
    private static func half(_ src: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }

    /// A plain copy: the file and the host are both little-endian.
    private static func decodeF32(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * 4)
    }

    private static func decodeF64(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count {
            let bits = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            dst[i] = Float(Double(bitPattern: bits))
        }
    }

    private static func decodeF16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { dst[i] = half(src, i * 2) }
    }

    private static func decodeBF16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count {
            let bits = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
            dst[i] = Float(bitPattern: UInt32(bits) << 16)
        }
    }

    private static func decodeQ4_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 18
            let d = half(block, 0)
            let qs = block + 2
            let out = dst + b * 32
            for j in 0..<16 {
                let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                out[j] = Float(Int32(byte & 0x0F) - 8) * d
                out[j + 16] = Float(Int32(byte >> 4) - 8) * d
            }
        }
    }

    private static func decodeQ4_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 20
            let d = half(block, 0)
            let m = half(block, 2)
            let qs = block + 4
            let out = dst + b * 32
            for j in 0..<16 {
                let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                out[j] = Float(byte & 0x0F) * d + m
                out[j + 16] = Float(byte >> 4) * d + m
            }
        }
    }

    private static func decodeQ8_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 34
            let d = half(block, 0)
            let qs = block + 2
            let out = dst + b * 32
            for j in 0..<32 {
                out[j] = Float(qs.load(fromByteOffset: j, as: Int8.self)) * d
            }
        }
    }
}
