import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint

/// Hand-made broken GGUF files, each with its specific error.
struct GGUFMalformedTests {
    /// A valid one-tensor file to break.
    static func builder() -> GGUFBuilder {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        var data: [UInt8] = []
        data.append(floats: [1, 2, 3, 4])
        b.addTensor("w.weight", dims: [4], type: 0, bytes: data)
        return b
    }

    func failure(_ bytes: [UInt8]) throws -> CheckpointError? {
        let folder = try TempFolder()
        let url = try folder.write("broken.gguf", bytes)
        let error = #expect(throws: CheckpointError.self) { try GGUFFile(url: url) }
        #expect(error?.file == url.path)
        #expect(error?.description.hasPrefix(url.path + ": ") == true)
        return error
    }

    @Test func validBuilderOutputReads() throws {
        let folder = try TempFolder()
        let file = try GGUFFile(url: try folder.write("ok.gguf", Self.builder().bytes))
        #expect(try file.floats("w.weight") == [1, 2, 3, 4])
        #expect(file.version == 3)
    }

    @Test func badMagic() throws {
        var bytes = Self.builder().bytes
        bytes[0] = UInt8(ascii: "X")
        let error = try failure(bytes)
        #expect(error?.message.contains("bad magic") == true)
        #expect(error?.offset == 0)
    }

    @Test func unsupportedVersion() throws {
        var b = Self.builder()
        b.version = 1
        let error = try failure(b.bytes)
        #expect(error?.description.hasSuffix("unsupported GGUF version 1 (2 and 3 are supported) at offset 4") == true)
    }

    @Test func unsupportedTensorTypeIsNamed() throws {
        var b = Self.builder()
        b.addTensor("blk.0.iq2.weight", dims: [256], type: 17, bytes: Array(repeating: 0, count: 74))
        let error = try failure(b.bytes)
        #expect(error?.tensor == "blk.0.iq2.weight")
        #expect(
            error?.message == "unsupported GGML tensor type IQ2_XS (17) (supported: F32, F16, Q4_0, Q4_1, "
                + "Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16, MXFP4)")
    }

    @Test func unknownTensorTypeIsGivenByNumber() throws {
        var b = Self.builder()
        b.addTensor("odd.weight", dims: [4], type: 99, bytes: Array(repeating: 0, count: 16))
        let error = try failure(b.bytes)
        #expect(error?.tensor == "odd.weight")
        #expect(error?.message.hasPrefix("unsupported GGML tensor type 99 (supported: F32, ") == true)
    }

    @Test func truncatedMetadataString() throws {
        var b = GGUFBuilder()
        b.add("general.name", string: "a long enough name")
        let bytes = Array(b.bytes.prefix(24 + 8 + 12 + 4 + 8 + 5))  // header, key, type, length, 5 of 18 bytes
        let error = try failure(bytes)
        #expect(error?.key == "general.name")
        #expect(
            error?.description.contains("key 'general.name': truncated string value: needs 18 bytes, 5 left at offset")
                == true)
    }

    @Test func truncatedTensorInfo() throws {
        var b = Self.builder()
        b.addTensor("v.weight", dims: [4], type: 0, bytes: Array(repeating: 0, count: 16))
        let secondInfo = 24 + (8 + 20 + 4 + 8 + 5) + (8 + 8 + 4 + 8 + 4 + 8)
        let error = try failure(Array(b.bytes.prefix(secondInfo + 8 + 8 + 4 + 3)))
        #expect(error?.tensor == "v.weight")
        #expect(error?.message.contains("truncated dimension: needs 8 bytes, 3 left") == true)
        #expect(error?.offset == secondInfo + 20)
    }

    @Test func tensorDataPastEnd() throws {
        var b = Self.builder()
        b.addTensor("late.weight", dims: [8], type: 0, bytes: [], offset: 64)
        let error = try failure(b.bytes)
        #expect(error?.tensor == "late.weight")
        #expect(
            error?.message.contains(
                "data of 32 bytes at data offset 64 runs past the end of the data section (32 bytes)") == true)
    }

    @Test func misalignedTensorOffset() throws {
        var b = Self.builder()
        b.addTensor("odd.weight", dims: [1], type: 0, bytes: [0, 0, 0, 0], offset: 36)
        let error = try failure(b.bytes)
        #expect(error?.tensor == "odd.weight")
        #expect(error?.message.contains("not a multiple of the alignment 32") == true)
    }

    @Test func overlappingTensors() throws {
        var b = Self.builder()
        b.addTensor("big.weight", dims: [16], type: 0, bytes: Array(repeating: 0, count: 64))
        b.addTensor("twin.weight", dims: [8], type: 0, bytes: [], offset: 64)
        let error = try failure(b.bytes)
        #expect(error?.tensor == "twin.weight")
        #expect(error?.message.contains("overlaps tensor 'big.weight'") == true)
    }

    @Test func quantizedRowsMustBeWholeBlocks() throws {
        var b = Self.builder()
        b.addTensor("q.weight", dims: [48, 2], type: 8, bytes: Array(repeating: 0, count: 34 * 3))
        let error = try failure(b.bytes)
        #expect(error?.tensor == "q.weight")
        #expect(
            error?.message.contains("Q8_0 needs the fastest dimension to be a multiple of its block size 32, found 48")
                == true)
    }

    @Test func kQuantRowsMustBeWholeSuperBlocks() throws {
        var b = Self.builder()
        let infoOffset = 24 + b.metadata.count + b.infos.count  // where the new tensor's info starts
        b.addTensor("blk.0.attn_q.weight", dims: [128, 4], type: 14, bytes: Array(repeating: 0, count: 210 * 2))
        let error = try failure(b.bytes)
        #expect(error?.tensor == "blk.0.attn_q.weight")
        #expect(error?.message == "Q6_K needs the fastest dimension to be a multiple of its block size 256, found 128")
        #expect(error?.offset == infoOffset)
        #expect(error?.description.contains("tensor 'blk.0.attn_q.weight': Q6_K needs") == true)
    }

    @Test func hugeArrayCountIsRejectedBeforeAllocating() throws {
        var b = GGUFBuilder()
        GGUFBuilder.string("tokenizer.ggml.tokens", into: &b.metadata)
        b.metadata.append(le: UInt32(9))
        b.metadata.append(le: UInt32(8))
        b.metadata.append(le: UInt64(1) << 60)
        b.metadataCount = 1
        let error = try failure(b.bytes)
        #expect(error?.key == "tokenizer.ggml.tokens")
        #expect(error?.message.contains("truncated array") == true)
    }
}
