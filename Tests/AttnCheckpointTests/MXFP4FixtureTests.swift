import Foundation
import Testing
import TestSupport

@testable import AttnCheckpoint

/// The committed `mxfp4-tiny.gguf` (gguf-py's quantizer, plus one block at
/// scale byte 254 and an all-zero block) against gguf-py's dequantization
/// (`Tests/Fixtures/generate/make_gguf_fixture.py mxfp4-tiny`).
struct MXFP4FixtureTests {
    @Test("MXFP4 (type 39) dequantizes bit-exactly as gguf-py does: subnormal scales, -0 codes, scale 254")
    func bitExact() throws {
        let gguf = try GGUFFile(url: Fixtures.url("gguf/mxfp4-tiny.gguf"))
        let expected = try SafetensorsFile(url: Fixtures.url("gguf/mxfp4-tiny.expected.safetensors"))
        #expect(Set(gguf.tensors.keys) == ["mxfp4_a.weight", "mxfp4_b.weight"])
        var compared = 0
        for name in gguf.tensors.keys.sorted() {
            let info = try #require(gguf.tensors[name])
            #expect(info.dtype == .mxfp4, "\(name)")
            #expect(info.shape == expected.tensors[name]?.shape, "\(name): PyTorch order")
            let got = try gguf.floats(name), want = try expected.floats(name)
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(name)")
            compared += got.count
        }
        #expect(compared == 4 * 64 + 3 * 96)
    }
}
