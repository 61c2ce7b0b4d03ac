/// The K-quants: super-blocks of 256 values split into sub-blocks that each
/// have their own scale (and, for Q2_K, Q4_K and Q5_K, their own minimum),
/// decoded as gguf-py's `gguf/quants.py` does.
///
/// Each sub-block's `d * scale` (and `dmin * min`) is one float32 product,
/// computed once; every value is then `dl * q` or `dl * q - ml`, as in numpy.
extension TensorDecoder {
    /// Q2_K, 84 bytes: 16 bytes of sub-block scale (low nibble) and min (high
    /// nibble), one per 16 values; 64 bytes of 2-bit values; fp16 d; fp16 dmin.
    /// Values 32g ..< 32g + 32 are bits 2·(g % 4) of bytes 32·(g / 4) ..< +32.
    static func decodeQ2_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 84
            let qs = block + 16
            let d = half(block, 80)
            let dmin = half(block, 82)
            let out = dst + b * 256
            for g in 0..<8 {
                let bytes = qs + 32 * (g / 4)
                let shift = 2 * (g % 4)
                for h in 0..<2 {
                    let s = 2 * g + h
                    let packed = block.load(fromByteOffset: s, as: UInt8.self)
                    let dl = d * Float(packed & 0x0F)
                    let ml = dmin * Float(packed >> 4)
                    for j in 0..<16 {
                        let q = bytes.load(fromByteOffset: 16 * h + j, as: UInt8.self) >> shift & 3
                        out[16 * s + j] = dl * Float(q) - ml
                    }
                }
            }
        }
    }

    /// Q3_K, 110 bytes: 32 bytes of third bits (bit g of byte j belongs to
    /// value 32g + j; a cleared bit subtracts 4); 64 bytes of 2-bit low parts,
    /// laid out as in Q2_K; 12 bytes of 6-bit signed sub-block scales, one per
    /// 16 values; fp16 d. Value `(d * (scale - 32)) * q`.
    static func decodeQ3_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 110
            let hmask = block
            let qs = block + 32
            let scales = block + 96
            let d = half(block, 108)
            let out = dst + b * 256
            for g in 0..<8 {
                let bytes = qs + 32 * (g / 4)
                let shift = 2 * (g % 4)
                for h in 0..<2 {
                    let s = 2 * g + h
                    let dl = d * Float(q3Scale(scales, s))
                    for j in 0..<16 {
                        let low = Int32(bytes.load(fromByteOffset: 16 * h + j, as: UInt8.self) >> shift & 3)
                        let third = hmask.load(fromByteOffset: 16 * h + j, as: UInt8.self) >> g & 1
                        out[16 * s + j] = dl * Float(third == 1 ? low : low - 4)
                    }
                }
            }
        }
    }

    /// Sub-block `s`'s Q3_K scale, -32 … 31: the low 4 bits are nibble s / 8
    /// of byte s % 8, the high 2 bits are bits 2·(s / 4) of byte 8 + s % 4.
    @inline(__always)
    private static func q3Scale(_ scales: UnsafeRawPointer, _ s: Int) -> Int32 {
        let low = scales.load(fromByteOffset: s % 8, as: UInt8.self) >> (4 * (s / 8)) & 0x0F
        let high = scales.load(fromByteOffset: 8 + s % 4, as: UInt8.self) >> (2 * (s / 4)) & 0x03
        return Int32(low | high << 4) - 32
    }

    /// Q4_K, 144 bytes: fp16 d; fp16 dmin; 12 bytes of 6-bit sub-block scales
    /// and mins, one pair per 32 values; 128 bytes of nibbles, where values
    /// 64c ..< 64c + 32 are the low and 64c + 32 ..< 64c + 64 the high nibbles
    /// of bytes 32c ..< 32c + 32. Value `(d * scale) * q - dmin * min`.
    static func decodeQ4_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 144
            let d = half(block, 0)
            let dmin = half(block, 2)
            let qs = block + 16
            let out = dst + b * 256
            for s in 0..<8 {
                let (scale, min) = kScaleMin(block + 4, s)
                let dl = d * Float(scale)
                let ml = dmin * Float(min)
                let bytes = qs + 32 * (s / 2)
                let shift = 4 * (s % 2)
                for j in 0..<32 {
                    let q = bytes.load(fromByteOffset: j, as: UInt8.self) >> shift & 0x0F
                    out[32 * s + j] = dl * Float(q) - ml
                }
            }
        }
    }

    /// Q5_K, 176 bytes: Q4_K's d, dmin and scales; then 32 bytes of fifth bits
    /// (bit s of byte j belongs to value 32s + j); then Q4_K's 128 bytes of
    /// nibbles. Value `(d * scale) * q - dmin * min`.
    static func decodeQ5_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 176
            let d = half(block, 0)
            let dmin = half(block, 2)
            let qh = block + 16
            let qs = block + 48
            let out = dst + b * 256
            for s in 0..<8 {
                let (scale, min) = kScaleMin(block + 4, s)
                let dl = d * Float(scale)
                let ml = dmin * Float(min)
                let bytes = qs + 32 * (s / 2)
                let shift = 4 * (s % 2)
                for j in 0..<32 {
                    let low = bytes.load(fromByteOffset: j, as: UInt8.self) >> shift & 0x0F
                    let fifth = qh.load(fromByteOffset: j, as: UInt8.self) >> s & 1
                    out[32 * s + j] = dl * Float(low | fifth << 4) - ml
                }
            }
        }
    }

    /// Sub-block `s`'s 6-bit scale and min in Q4_K/Q5_K's 12 packed bytes.
    /// For s < 4 they are the low 6 bits of bytes s and s + 4; for s ≥ 4 the
    /// low (scale) and high (min) nibble of byte s + 4 are topped by the two
    /// high bits of bytes s − 4 and s.
    @inline(__always)
    private static func kScaleMin(_ scales: UnsafeRawPointer, _ s: Int) -> (scale: UInt8, min: UInt8) {
        if s < 4 {
            let scale = scales.load(fromByteOffset: s, as: UInt8.self) & 0x3F
            let min = scales.load(fromByteOffset: s + 4, as: UInt8.self) & 0x3F
            return (scale, min)
        }
        let packed = scales.load(fromByteOffset: s + 4, as: UInt8.self)
        let scaleTop = scales.load(fromByteOffset: s - 4, as: UInt8.self) >> 6
        let minTop = scales.load(fromByteOffset: s, as: UInt8.self) >> 6
        return ((packed & 0x0F) | scaleTop << 4, packed >> 4 | minTop << 4)
    }

    /// Q6_K, 210 bytes: 128 bytes of low nibbles, 64 bytes of 2-bit high
    /// parts, 16 int8 sub-block scales (one per 16 values), fp16 d. In each
    /// half h of 128 values, value 128h + 32k + j takes nibble k / 2 of byte
    /// 64h + 32·(k % 2) + j and bits 2k of byte 128 + 32h + j. Value
    /// `(d * scale) * (q - 32)`.
    static func decodeQ6_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 210
            let d = half(block, 208)
            let out = dst + b * 256
            for h in 0..<2 {
                let ql = block + 64 * h
                let qh = block + 128 + 32 * h
                for k in 0..<4 {
                    let lowBytes = ql + 32 * (k % 2)
                    let lowShift = 4 * (k / 2)
                    for part in 0..<2 {
                        let s = 8 * h + 2 * k + part
                        let dl = d * Float(block.load(fromByteOffset: 192 + s, as: Int8.self))
                        let low =
                            lowBytes.loadUnaligned(fromByteOffset: 16 * part, as: SIMD16<UInt8>.self)
                            &>> UInt8(lowShift) & 0x0F
                        let high =
                            qh.loadUnaligned(fromByteOffset: 16 * part, as: SIMD16<UInt8>.self) &>> UInt8(2 * k) & 0x03
                        let q = SIMD16<Int32>(truncatingIfNeeded: low | high &<< 4) &- 32
                        UnsafeMutableRawPointer(out + 16 * s).storeBytes(
                            of: dl * SIMD16<Float>(q), as: SIMD16<Float>.self)
                    }
                }
            }
        }
    }
}
