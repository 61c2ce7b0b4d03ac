/// Turns encoded tensor bytes into `Float`s, exactly as gguf-py and
/// safetensors/PyTorch do.
///
/// Input is the tensor's raw bytes (any alignment); output is row-major
/// floats in the same element order. fp16 scales are first widened to
/// float32, and every product and sum is a float32 operation in the order
/// gguf-py's numpy code evaluates it, so the results are bit-identical.
/// Legacy quantized types decode blocks of 32: Q4_0 gives `(q - 8) * d`,
/// Q4_1 `q * d + m`, Q5_0 `(q - 16) * d`, Q5_1 `q * d + m` and Q8_0 `q * d`,
/// with the low nibbles of the 16 packed bytes holding elements 0…15 and the
/// high nibbles 16…31 (Q5 adds a fifth bit per element from a u32). The
/// K-quants decode super-blocks of 256 (`TensorDecoder+KQuants.swift`).
enum TensorDecoder {
    /// Decodes `count` elements of `dtype` from `source`; the caller has
    /// checked that `source` holds exactly `dtype.byteCount(elements: count)` bytes.
    static func decode(_ source: UnsafeRawBufferPointer, dtype: TensorDType, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0, let src = source.baseAddress, let dst = out.baseAddress {
                decode(src, dtype: dtype, count: count, into: dst)
            }
            initialized = count
        }
    }

    /// Decodes `count` elements of `dtype` (a whole number of blocks) from
    /// `src` into `dst`; the caller has checked that `src` holds
    /// `dtype.byteCount(elements: count)` bytes and `dst` room for `count` floats.
    static func decode(_ src: UnsafeRawPointer, dtype: TensorDType, count: Int, into dst: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32: decodeF32(src, dst, count)
        case .f16: decodeF16(src, dst, count)
        case .bf16: decodeBF16(src, dst, count)
        case .f64: decodeF64(src, dst, count)
        case .q4_0: decodeQ4_0(src, dst, count / 32)
        case .q4_1: decodeQ4_1(src, dst, count / 32)
        case .q5_0: decodeQ5_0(src, dst, count / 32)
        case .q5_1: decodeQ5_1(src, dst, count / 32)
        case .q8_0: decodeQ8_0(src, dst, count / 32)
        case .q2_k: decodeQ2_K(src, dst, count / 256)
        case .q3_k: decodeQ3_K(src, dst, count / 256)
        case .q4_k: decodeQ4_K(src, dst, count / 256)
        case .q5_k: decodeQ5_K(src, dst, count / 256)
        case .q6_k: decodeQ6_K(src, dst, count / 256)
        }
    }

    /// An fp16 bit pattern at `offset`, widened to float32.
    @inline(__always)
    static func half(_ src: UnsafeRawPointer, _ offset: Int) -> Float {
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

    /// Q5_0: fp16 d, a u32 whose bit j is element j's fifth bit, 16 bytes of
    /// low nibbles; value `(q - 16) * d`.
    private static func decodeQ5_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 22
            let d = half(block, 0)
            let fifth = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let qs = block + 6
            let out = dst + b * 32
            for j in 0..<16 {
                let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                let low = UInt32(byte & 0x0F) | (fifth >> j & 1) << 4
                let high = UInt32(byte >> 4) | (fifth >> (j + 16) & 1) << 4
                out[j] = Float(Int32(low) - 16) * d
                out[j + 16] = Float(Int32(high) - 16) * d
            }
        }
    }

    /// Q5_1: fp16 d, fp16 m, a u32 whose bit j is element j's fifth bit, 16
    /// bytes of low nibbles; value `q * d + m`.
    private static func decodeQ5_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 24
            let d = half(block, 0)
            let m = half(block, 2)
            let fifth = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let qs = block + 8
            let out = dst + b * 32
            for j in 0..<16 {
                let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                let low = UInt32(byte & 0x0F) | (fifth >> j & 1) << 4
                let high = UInt32(byte >> 4) | (fifth >> (j + 16) & 1) << 4
                out[j] = Float(low) * d + m
                out[j + 16] = Float(high) * d + m
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
