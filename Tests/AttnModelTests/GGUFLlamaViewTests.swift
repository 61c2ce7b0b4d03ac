import Foundation
import Testing
import TestSupport
import AttnCheckpoint
@testable import AttnModel

/// A hand-made tiny llama GGUF seen through `Checkpoint`: HF names, the
/// un-permuted Q/K rows and the synthesized config.
struct GGUFLlamaViewTests {
    /// Row-major `rows × cols` values where element (r, c) is `r * 100 + c`.
    static func indexed(rows: Int, cols: Int) -> [Float] {
        (0..<rows).flatMap { r in (0..<cols).map { c in Float(r * 100 + c) } }
    }

    /// hidden 8, 2 heads of 4, 1 kv head, one block, vocab 5.
    static func builder(skipping skipped: String? = nil, withOutput: Bool = false, qRows: Int = 8) -> GGUFBuilder {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        let keys: [(String, UInt32)] = [
            ("llama.block_count", 1), ("llama.embedding_length", 8), ("llama.feed_forward_length", 16),
            ("llama.attention.head_count", 2), ("llama.attention.head_count_kv", 1), ("llama.context_length", 64),
            ("tokenizer.ggml.bos_token_id", 1),
        ]
        for (key, value) in keys where key != skipped { b.add(key, u32: value) }
        if skipped != "llama.attention.layer_norm_rms_epsilon" {
            b.add("llama.attention.layer_norm_rms_epsilon", f32: 1e-5)
        }
        func tensor(_ name: String, _ rows: Int, _ cols: Int) {
            var bytes: [UInt8] = []
            bytes.append(floats: indexed(rows: rows, cols: cols))
            b.addTensor(name, dims: rows == 1 ? [UInt64(cols)] : [UInt64(cols), UInt64(rows)], type: 0, bytes: bytes)
        }
        tensor("token_embd.weight", 5, 8)
        tensor("blk.0.attn_q.weight", qRows, 8)
        tensor("blk.0.attn_k.weight", 4, 8)
        tensor("blk.0.attn_v.weight", 4, 8)
        tensor("blk.0.attn_norm.weight", 1, 8)
        tensor("blk.0.ffn_down.weight", 8, 16)
        tensor("output_norm.weight", 1, 8)
        tensor("rope_freqs.weight", 1, 2)
        if withOutput { tensor("output.weight", 5, 8) }
        return b
    }

    static func open(_ b: GGUFBuilder, in folder: TempFolder) throws -> Checkpoint {
        try ModelRegistry.open(try folder.write("tiny.gguf", b.bytes))
    }

    @Test func exposesHuggingFaceNames() throws {
        let folder = try TempFolder()
        let checkpoint = try Self.open(Self.builder(), in: folder)
        #expect(checkpoint.format == .gguf)
        #expect(checkpoint.gguf?.tensors.count == 8)
        #expect(
            checkpoint.tensorNames == [
                "model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
                "model.layers.0.mlp.down_proj.weight", "model.layers.0.self_attn.k_proj.weight",
                "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.v_proj.weight",
                "model.norm.weight", "rope_freqs.weight",
            ])
        #expect(checkpoint.info("model.layers.0.mlp.down_proj.weight")?.shape == [8, 16])
        #expect(checkpoint.info("model.norm.weight")?.shape == [8])
        #expect(!checkpoint.contains("lm_head.weight"))
        #expect(checkpoint.parameterCount == 40 + 64 + 32 + 32 + 8 + 128 + 8 + 2)
        #expect(try checkpoint.floats("model.layers.0.self_attn.v_proj.weight") == Self.indexed(rows: 4, cols: 8))
    }

    @Test func undoesTheQKRowPermutation() throws {
        let folder = try TempFolder()
        let checkpoint = try Self.open(Self.builder(), in: folder)
        // Head size 4: HF rows h*4 + {0, 1, 2, 3} come from GGUF rows h*4 + {0, 2, 1, 3}.
        let q = try checkpoint.floats("model.layers.0.self_attn.q_proj.weight", shape: [8, 8])
        #expect(stride(from: 0, to: 64, by: 8).map { q[$0] } == [0, 200, 100, 300, 400, 600, 500, 700])
        #expect(q[8 + 5] == 205)
        let k = try checkpoint.floats("model.layers.0.self_attn.k_proj.weight", shape: [4, 8])
        #expect(stride(from: 0, to: 32, by: 8).map { k[$0] } == [0, 200, 100, 300])
        #expect(try checkpoint.gguf?.floats("blk.0.attn_q.weight") == Self.indexed(rows: 8, cols: 8))
    }

    @Test("the metadata is read straight into the family's configuration, as HF's GGUF loader maps the keys")
    func readsTheConfiguration() throws {
        let folder = try TempFolder()
        let checkpoint = try Self.open(Self.builder(withOutput: true), in: folder)
        #expect(String(decoding: checkpoint.configData, as: UTF8.self) == #"{"model_type":"llama"}"#)
        let config = try #require(checkpoint.configuration as? LlamaConfiguration)
        #expect(config.modelType == .llama)
        #expect(config.hiddenSize == 8)
        #expect(config.intermediateSize == 16)
        #expect(config.layers == 1)
        #expect(config.heads == 2)
        #expect(config.kvHeads == 1)
        #expect(config.headDim == 4)
        #expect(config.rmsNormEps == 1e-5)
        #expect(config.theta == 10000)
        #expect(config.maxPositions == 64)
        #expect(config.vocabularySize == 5)
        #expect(checkpoint.contains("lm_head.weight"))
    }

    @Test func missingRequiredKeyIsNamed() throws {
        let folder = try TempFolder()
        for key in ["llama.context_length", "llama.attention.layer_norm_rms_epsilon", "llama.block_count"] {
            let error = #expect(throws: CheckpointError.self) { try Self.open(Self.builder(skipping: key), in: folder) }
            #expect(error?.key == key)
            #expect(error?.description.contains("tiny.gguf: key '\(key)': missing") == true)
        }
    }

    @Test(arguments: [6, 0])
    func qRowsThatCannotSplitIntoHeadsAreAnError(rows: Int) throws {
        let folder = try TempFolder()
        let error = #expect(throws: CheckpointError.self) { try Self.open(Self.builder(qRows: rows), in: folder) }
        #expect(error?.tensor == "blk.0.attn_q.weight")
        #expect(error?.message.contains("cannot be split into 2 heads of even size") == true)
    }
}
