import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint

/// The committed `quant-tiny.gguf`, written by gguf-py, against the values
/// gguf-py dequantizes it to (`Tests/Fixtures/generate/make_gguf_fixture.py`).
struct GGUFFixtureTests {
    let gguf: GGUFFile
    let expected: SafetensorsFile

    init() throws {
        gguf = try GGUFFile(url: Fixtures.url("gguf/quant-tiny.gguf"))
        expected = try SafetensorsFile(url: Fixtures.url("gguf/quant-tiny.expected.safetensors"))
    }

    @Test func everyTensorDequantizesBitExactlyLikeGGUFPy() throws {
        let types: [String: TensorDType] = [
            "f32.weight": .f32, "f16.weight": .f16, "bf16.weight": .bf16, "q8_0.weight": .q8_0,
            "q4_0.weight": .q4_0, "q4_1.weight": .q4_1, "norm.bias": .q8_0,
            "q5_0.weight": .q5_0, "q5_1.weight": .q5_1, "q2_k.weight": .q2_k, "q3_k.weight": .q3_k,
            "q4_k.weight": .q4_k, "q5_k.weight": .q5_k, "q6_k.weight": .q6_k,
        ]
        #expect(Set(gguf.tensors.keys) == Set(types.keys))
        var compared = 0
        for (name, dtype) in types {
            let info = try #require(gguf.tensors[name])
            let reference = try #require(expected.tensors[name])
            #expect(info.dtype == dtype, "\(name)")
            #expect(info.shape == reference.shape, "\(name): PyTorch order")
            let got = try gguf.floats(name)
            let want = try expected.floats(name)
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(name)")
            compared += got.count
        }
        #expect(compared == 15 + 24 + 14 + 256 + 192 + 256 + 32 + 2 * 128 + 5 * 1024)
        #expect(gguf.tensors["q8_0.weight"]?.shape == [2, 2, 64])
        #expect(gguf.tensors["q6_k.weight"]?.shape == [4, 256])
    }

    @Test func metadataOfEveryType() throws {
        let m = gguf.metadata
        #expect(gguf.version == 3)
        #expect(gguf.alignment == 32)
        #expect(gguf.dataOffset % 32 == 0)
        #expect(m["general.architecture"] == .string("quanttest"))
        #expect(m["test.u8"] == .uint8(200))
        #expect(m["test.i8"] == .int8(-100))
        #expect(m["test.u16"] == .uint16(60000))
        #expect(m["test.i16"] == .int16(-30000))
        #expect(m["test.u32"] == .uint32(4_000_000_000))
        #expect(m["test.i32"] == .int32(-2_000_000_000))
        #expect(m["test.f32"] == .float32(0.1))
        #expect(m["test.f32"]?.double == 0.1)
        #expect(m["test.bool"] == .bool(true))
        #expect(m["test.string"]?.string == "héllo ▁wörld")
        #expect(m["test.strings"]?.stringArray == ["a", "bc", "Ġd"])
        #expect(m["test.ints"]?.intArray == [1, -2, 3])
        #expect(m["test.ints"]?.floatArray == [1, -2, 3])
        let nested = try #require(m["test.nested"]?.array)
        #expect(nested.elementType == 9 && nested.count == 2)
        #expect(
            nested[0].array?[0] == .int32(1) && nested[0].array?[1] == .int32(2) && nested[1].array?[0] == .int32(3))
        #expect(nested[0].array?.count == 2 && nested[1].array?.count == 1)
        #expect(m["test.u64"]?.int == 1 << 40)
        #expect(m["test.i64"]?.int == -(1 << 40))
        #expect(m["test.f64"] == .float64(2.5e-300))
        #expect(m["test.strings"]?.intArray == nil)
    }
}

/// The branch-free fp16 widening the decoders use.
struct HalfWideningTests {
    @Test func everyBitPatternWidensAsTheStandardConversion() {
        let mismatches = (0...UInt16.max).filter { bits in
            TensorDecoder.widen(bits).bitPattern != Float(Float16(bitPattern: bits)).bitPattern
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, the first: \(mismatches.prefix(4))")
    }
}
