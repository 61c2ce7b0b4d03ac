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
        case .mxfp4: decodeMXFP4(src, dst, count / 32)
        }
    }

    /// An fp16 bit pattern at `offset`, widened to float32.
    @inline(__always)
    static func half(_ src: UnsafeRawPointer, _ offset: Int) -> Float {
        widen(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// The fp16 bit pattern `bits` widened to float32, exactly as a hardware
    /// conversion (and `Float(Float16)`) does, in branch-free integer and float
    /// steps that vectorize on any x86-64: a finite half moves its exponent
    /// and mantissa into float position and is rescaled by the exact power
    /// of two 2¹¹², which also turns subnormal halves into normal floats; an
    /// infinity or NaN keeps its mantissa (payload) under an all-ones
    /// exponent, a NaN with the quiet bit set.
    @inline(__always)
    static func widen(_ bits: UInt16) -> Float {
        let magnitude = UInt32(bits & 0x7FFF)
        let finite = (Float(bitPattern: magnitude << 13) * 0x1p112).bitPattern
        let mantissa = magnitude & 0x3FF
        let special = 0x7F80_0000 | mantissa << 13 | (mantissa == 0 ? 0 : 0x40_0000)
        return Float(bitPattern: (magnitude >= 0x7C00 ? special : finite) | UInt32(bits & 0x8000) << 16)
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
        for i in 0..<count {
            dst[i] = widen(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
        }
    }

    private static func decodeBF16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count {
            let bits = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
            dst[i] = Float(bitPattern: UInt32(bits) << 16)
        }
    }

    /// MXFP4 as gguf-py's `MXFP4.dequantize_blocks`: `d · k[q]` with `d` the
    /// E8M0 byte `e` as `ggml_e8m0_to_fp32_half` reads it (`2^(e−128)`, from
    /// the bit pattern `0x00200000 << e` below `e = 2`), `k` the doubled E2M1
    /// values, low nibbles elements 0…15 and high nibbles 16…31.
    private static func decodeMXFP4(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        let values: [Float] = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]
        values.withUnsafeBufferPointer { k in
            for b in 0..<blocks {
                let block = src + b * 17
                let e = UInt32(block.load(as: UInt8.self))
                let d = Float(bitPattern: e < 2 ? UInt32(0x0020_0000) << e : (e - 1) << 23)
                let out = dst + b * 32
                for j in 0..<16 {
                    let byte = block.load(fromByteOffset: 1 + j, as: UInt8.self)
                    out[j] = d * k[Int(byte & 0x0F)]
                    out[j + 16] = d * k[Int(byte >> 4)]
                }
            }
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
            let (low, high) = q5Values(block + 6, fifth: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let out = UnsafeMutableRawPointer(dst + b * 32)
            out.storeBytes(of: SIMD16<Float>(low &- 16) * d, as: SIMD16<Float>.self)
            out.storeBytes(of: SIMD16<Float>(high &- 16) * d, toByteOffset: 64, as: SIMD16<Float>.self)
        }
    }

    /// The 5-bit values of a Q5 block: elements 0…15 (`low`) and 16…31
    /// (`high`), from the 16 nibble bytes at `qs` and the u32 of fifth bits
    /// (bit j belongs to element j), as 16-lane vectors. Each lane isolates
    /// its bit with a per-lane mask and turns a nonzero result into 16 by
    /// negating it and keeping the sign bit: only uniform shifts, which SSE2
    /// has (it cannot shift each lane by its own index).
    @inline(__always)
    private static func q5Values(_ qs: UnsafeRawPointer, fifth raw: UInt32) -> (low: SIMD16<Int32>, high: SIMD16<Int32>)
    {
        let fifth = SIMD16<UInt32>(repeating: UInt32(littleEndian: raw))
        let masks = SIMD16<UInt32>(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
        let bytes = SIMD16<UInt32>(truncatingIfNeeded: qs.loadUnaligned(as: SIMD16<UInt8>.self))
        let low = (bytes & 0x0F) | ((0 &- (fifth & masks)) &>> 31) &<< 4
        let high = (bytes &>> 4) | ((0 &- (fifth & (masks &<< 16))) &>> 31) &<< 4
        return (SIMD16<Int32>(truncatingIfNeeded: low), SIMD16<Int32>(truncatingIfNeeded: high))
    }

    /// Q5_1: fp16 d, fp16 m, a u32 whose bit j is element j's fifth bit, 16
    /// bytes of low nibbles; value `q * d + m`.
    private static func decodeQ5_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 24
            let d = half(block, 0)
            let m = half(block, 2)
            let (low, high) = q5Values(block + 8, fifth: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let out = UnsafeMutableRawPointer(dst + b * 32)
            out.storeBytes(of: SIMD16<Float>(low) * d + m, as: SIMD16<Float>.self)
            out.storeBytes(of: SIMD16<Float>(high) * d + m, toByteOffset: 64, as: SIMD16<Float>.self)
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
