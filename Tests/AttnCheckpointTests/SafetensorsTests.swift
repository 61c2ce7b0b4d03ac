import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint

/// Round trips of small valid safetensors files and folders.
struct SafetensorsTests {
    /// F32, F16, BF16 and F64 values that each encoding holds exactly.
    static let values: [Float] = [1.5, -2.25, 0.0009765625, 49152, 0, -0.5]

    static func mixedFile(in folder: TempFolder, name: String = "model.safetensors") throws -> URL {
        var data: [UInt8] = []
        data.append(floats: values)  // F32 [2, 3] at 0..<24
        for v in values { data.append(le: Float16(v).bitPattern) }  // F16 [6] at 24..<36
        for v in values { data.append(le: UInt16(v.bitPattern >> 16)) }  // BF16 [3, 2] at 36..<48
        for v in values { data.append(le: Double(v).bitPattern) }  // F64 [6, 1] at 48..<96
        data += [1, 0, 0, 0, 0, 0, 0, 0]  // I64 [1] at 96..<104
        let header = """
            {"__metadata__":{"format":"pt"},
             "a.f32":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
             "b.f16":{"dtype":"F16","shape":[6],"data_offsets":[24,36]},
             "c.bf16":{"dtype":"BF16","shape":[3,2],"data_offsets":[36,48]},
             "d.f64":{"dtype":"F64","shape":[6,1],"data_offsets":[48,96]},
             "e.ids":{"dtype":"I64","shape":[1],"data_offsets":[96,104]}}
            """
        return try folder.write(name, safetensorsBytes(header: header, data: data))
    }

    @Test func readsEveryFloatDTypeExactly() throws {
        let folder = try TempFolder()
        let file = try SafetensorsFile(url: try Self.mixedFile(in: folder))
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors["a.f32"] == TensorInfo(name: "a.f32", shape: [2, 3], dtype: .f32))
        #expect(file.tensors["c.bf16"]?.dtype == .bf16)
        #expect(file.otherTensors == ["e.ids": "I64"])
        for name in ["a.f32", "b.f16", "c.bf16", "d.f64"] {
            #expect(try file.floats(name) == Self.values, "\(name)")
        }
        let error = #expect(throws: CheckpointError.self) { try file.floats("e.ids") }
        #expect(error?.description.contains("tensor 'e.ids'") == true)
        #expect(error?.description.contains("unsupported dtype 'I64'") == true)
    }

    @Test func bf16TruncatesByBitShift() throws {
        let folder = try TempFolder()
        let bits: [UInt16] = [0x3F80, 0xC0A0, 0x7F80, 0x0001]  // 1, -5, +inf, smallest subnormal
        var data: [UInt8] = []
        for b in bits { data.append(le: b) }
        let url = try folder.write(
            "x.safetensors",
            safetensorsBytes(
                header: #"{"w":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}"#, data: data))
        let floats = try SafetensorsFile(url: url).floats("w")
        #expect(floats.map(\.bitPattern) == bits.map { UInt32($0) << 16 })
    }

    @Test func folderCheckpointExposesTensorsAndConfig() throws {
        let folder = try TempFolder()
        try Self.mixedFile(in: folder)
        try folder.write("config.json", text: #"{"model_type":"bert"}"#)
        try folder.write("tokenizer.json", text: "{}")
        let checkpoint = try Checkpoint.openFolderOrFail(folder.url)
        #expect(checkpoint.format == .safetensors)
        #expect(checkpoint.gguf == nil)
        #expect(checkpoint.tokenizerURL?.lastPathComponent == "tokenizer.json")
        #expect(String(decoding: checkpoint.configData, as: UTF8.self) == #"{"model_type":"bert"}"#)
        #expect(checkpoint.tensorNames == ["a.f32", "b.f16", "c.bf16", "d.f64"])
        #expect(checkpoint.parameterCount == 24)
        #expect(checkpoint.contains("c.bf16") && !checkpoint.contains("e.ids"))
        #expect(try checkpoint.floats("a.f32", shape: [2, 3]) == Self.values)

        let wrongShape = #expect(throws: CheckpointError.self) { try checkpoint.floats("a.f32", shape: [3, 2]) }
        #expect(wrongShape?.description.contains("tensor 'a.f32'") == true)
        #expect(wrongShape?.description.contains("expected shape [3, 2], found [2, 3]") == true)

        let missing = #expect(throws: CheckpointError.self) {
            try checkpoint.floats("model.layers.3.mlp.up_proj.weight")
        }
        #expect(missing?.description.contains("tensor 'model.layers.3.mlp.up_proj.weight' not found in") == true)
        #expect(missing?.file == folder.url.path)
    }

    @Test func shardedIndexJoinsShards() throws {
        let folder = try TempFolder()
        var one: [UInt8] = []
        one.append(floats: [1, 2, 3])
        try folder.write(
            "model-00001-of-00002.safetensors",
            safetensorsBytes(
                header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#, data: one))
        var two: [UInt8] = []
        two.append(floats: [4, 5])
        for v: Float in [6, 7] { two.append(le: Float16(v).bitPattern) }
        try folder.write(
            "model-00002-of-00002.safetensors",
            safetensorsBytes(
                header:
                    #"{"y":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"z":{"dtype":"F16","shape":[2],"data_offsets":[8,12]}}"#,
                data: two))
        try folder.write("config.json", text: "{}")
        try folder.write(
            "model.safetensors.index.json",
            text: """
                {"metadata":{"total_size":24},"weight_map":{"x":"model-00001-of-00002.safetensors",
                 "y":"model-00002-of-00002.safetensors","z":"model-00002-of-00002.safetensors"}}
                """)
        let checkpoint = try Checkpoint.openFolderOrFail(folder.url)
        #expect(checkpoint.tensorNames == ["x", "y", "z"])
        #expect(try checkpoint.floats("x") == [1, 2, 3])
        #expect(try checkpoint.floats("y", shape: [1, 2]) == [4, 5])
        #expect(try checkpoint.floats("z") == [6, 7])
        #expect(checkpoint.tokenizerURL == nil)

        try folder.write(
            "model.safetensors.index.json", text: #"{"weight_map":{"w":"model-00001-of-00002.safetensors"}}"#)
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.openFolderOrFail(folder.url) }
        #expect(error?.description.contains("model.safetensors.index.json: tensor 'w'") == true)
        #expect(error?.description.contains("not found in shard model-00001-of-00002.safetensors") == true)
    }
}
