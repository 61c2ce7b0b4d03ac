import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint

/// PyTorch zip checkpoints (`Tests/Fixtures/pytorch`, written by
/// `make_pytorch_fixtures.py`): twins of safetensors fixtures read tensor for
/// tensor alike, and hostile archives refused by name without running anything.
struct PyTorchFileTests {
    /// (pytorch folder, its safetensors twin).
    static let twins = [
        ("llama-tiny-bin", "llama-tiny"), ("llama-tiny-compiled", "llama-tiny"),
        ("gpt2-tiny-bin", "gpt2-tiny"), ("bert-tiny-bin", "bert-tiny"),
    ]

    @Test("a pytorch_model.bin folder holds its safetensors twin's tensors, value for value", arguments: twins)
    func twinTensors(folder: String, twin: String) throws {
        let bin = try Checkpoint.openFolderOrFail(Fixtures.url("pytorch/\(folder)"))
        let safetensors = try Checkpoint.openFolderOrFail(Fixtures.url("models/\(twin)"))
        #expect(bin.format == .pytorch)
        #expect(bin.tensorNames == safetensors.tensorNames)
        for name in safetensors.tensorNames {
            #expect(bin.info(name)?.shape == safetensors.info(name)?.shape, "\(name)")
            let values = try bin.floats(name)
            #expect(values.map(\.bitPattern) == (try safetensors.floats(name)).map(\.bitPattern), "\(name)")
            if let columns = bin.info(name)?.shape.last, let shape = bin.info(name)?.shape, shape.count == 2 {
                #expect(
                    try bin.matrix(name, rows: shape[0], columns: columns).floats().map(\.bitPattern)
                        == values.map(\.bitPattern))
            }
        }
    }

    @Test("torch.compile's _orig_mod. prefix is dropped and bf16 and fp32 tensors mix, across two shards")
    func compiledMixedShards() throws {
        let checkpoint = try Checkpoint.openFolderOrFail(Fixtures.url("pytorch/llama-tiny-compiled"))
        #expect(!checkpoint.tensorNames.contains { $0.hasPrefix("_orig_mod.") })
        #expect(checkpoint.info("model.layers.0.self_attn.q_proj.weight")?.dtype == .f32)
        #expect(checkpoint.info("model.embed_tokens.weight")?.dtype == .bf16)
        #expect(checkpoint.info("model.norm.weight")?.dtype == .bf16)
    }

    @Test("zip64 sizes and offsets are read")
    func zip64() throws {
        let file = try PyTorchFile(url: Fixtures.url("pytorch/zip64.bin"))
        #expect(file.tensors["w"] == TensorInfo(name: "w", shape: [4], dtype: .f32))
        #expect(try file.floats("w") == [1, 2, 3, 4])
    }

    @Test("an int64 tensor is listed, and reading it names its dtype")
    func int64Tensor() throws {
        let file = try PyTorchFile(url: Fixtures.url("pytorch/hostile/int64.bin"))
        #expect(file.otherTensors == ["steps": "int64"])
        #expect(try file.floats("w") == [0, 0, 0, 0])
        let error = #expect(throws: CheckpointError.self) { try file.floats("steps") }
        #expect(error?.message.contains("unsupported dtype 'int64'") == true)
    }

    /// (hostile archive, what its one-line error must say).
    static let hostile = [
        ("os-system", "global 'os.system' is not allowed"),
        ("builtins-eval", "global 'builtins.eval' is not allowed"),
        ("reduce-storage", "REDUCE of torch.FloatStorage"),
        ("reduce-string", "REDUCE of a str"),
        ("build-tensor", "BUILD on a tensor"),
        ("persistent-string", "persistent id is not ('storage'"),
        ("storage-outside", "storage key '../../data/0' is not an entry of the archive"),
        ("storage-missing", "storage key '7' is not an entry of the archive"),
        ("size-overflow", "element count overflows"),
        ("storage-overflow", "does not match its 16-byte entry"),
        ("deep-nesting", "more than 4096 nested marks"),
        ("deep-tuples", "tuples nested deeper than 32"),
        ("memo-huge", "memo index 4294967295 is over the limit"),
        ("not-a-dict", "holds a list, not a state dict"),
        ("deflate", "zip entry is deflate-compressed"),
        ("zip-bomb", "zip entry is deflate-compressed"),
        ("legacy", "legacy PyTorch format"),
        ("transposed", "non-contiguous strides [1, 3]"),
    ]

    @Test("hostile archives are refused with one line naming the problem and nothing runs", arguments: hostile)
    func hostileArchive(name: String, mention: String) throws {
        let ran = URL(fileURLWithPath: "/tmp/attnscope-pickle-ran")
        try? FileManager.default.removeItem(at: ran)
        let url = Fixtures.url("pytorch/hostile/\(name).bin")
        let error = #expect(throws: CheckpointError.self) { try PyTorchFile(url: url) }
        #expect(error?.file == url.path)
        #expect(error?.description.contains(mention) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("\n") == false)
        #expect(!FileManager.default.fileExists(atPath: ran.path))
    }

    @Test("the pickle's globals are refused where they occur, with the file offset")
    func globalOffset() throws {
        let error = #expect(throws: CheckpointError.self) {
            try PyTorchFile(url: Fixtures.url("pytorch/hostile/os-system.bin"))
        }
        #expect(error?.key == "archive/data.pkl")
        let offset = try #require(error?.offset)
        let bytes = try Data(contentsOf: Fixtures.url("pytorch/hostile/os-system.bin"))
        #expect(bytes[offset...].starts(with: Array("cos\nsystem\n".utf8)))
    }

    @Test("contiguity follows PyTorch: size-1 dimensions take any stride, empty tensors are contiguous")
    func contiguity() {
        #expect(RestrictedUnpickler.isContiguous(shape: [2, 3], strides: [3, 1]))
        #expect(RestrictedUnpickler.isContiguous(shape: [1, 3], strides: [99, 1]))
        #expect(RestrictedUnpickler.isContiguous(shape: [0, 3], strides: [7, 7]))
        #expect(!RestrictedUnpickler.isContiguous(shape: [2, 3], strides: [1, 2]))
        #expect(!RestrictedUnpickler.isContiguous(shape: [2, 3], strides: [4, 1]))
    }
}
