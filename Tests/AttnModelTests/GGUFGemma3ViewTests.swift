import Foundation
import Testing
import TestSupport
import AttnCheckpoint
@testable import AttnModel

/// A hand-made tiny `gemma3` GGUF seen through the gemma3 family's view: HF
/// names (no Q/K permutation), the synthesized config, and the metadata HF's
/// GGUF loader and llama.cpp would read differently refused by key.
struct GGUFGemma3ViewTests {
    /// An edit of the tiny file's metadata: a key left out, integer, float and string keys set.
    struct Change: Sendable, CustomTestStringConvertible {
        var skipping: String? = nil
        var u32: [String: UInt32] = [:]
        var f32: [String: Float] = [:]
        var string: [String: String] = [:]
        var testDescription: String { "\(skipping.map { "without \($0)" } ?? "") \(u32) \(f32) \(string)" }
    }

    /// hidden 8, one head of 256, one kv head, one block, vocab 5, with `change` made to the metadata.
    static func builder(_ change: Change = Change()) -> GGUFBuilder {
        let (skipped, extra, floats, strings) = (change.skipping, change.u32, change.f32, change.string)
        var b = GGUFBuilder()
        b.add("general.architecture", string: "gemma3")
        var integers: [String: UInt32] = [
            "gemma3.block_count": 1, "gemma3.embedding_length": 8, "gemma3.feed_forward_length": 16,
            "gemma3.attention.head_count": 1, "gemma3.attention.head_count_kv": 1, "gemma3.attention.key_length": 256,
            "gemma3.attention.value_length": 256, "gemma3.attention.sliding_window": 4, "gemma3.context_length": 64,
        ]
        integers.merge(extra) { $1 }
        for (key, value) in integers.sorted(by: { $0.key < $1.key }) where key != skipped { b.add(key, u32: value) }
        var reals: [String: Float] = ["gemma3.attention.layer_norm_rms_epsilon": 1e-6, "gemma3.rope.freq_base": 1e6]
        reals.merge(floats) { $1 }
        for (key, value) in reals.sorted(by: { $0.key < $1.key }) where key != skipped { b.add(key, f32: value) }
        for (key, value) in strings.sorted(by: { $0.key < $1.key }) { b.add(key, string: value) }
        func tensor(_ name: String, _ rows: Int, _ cols: Int) {
            var bytes: [UInt8] = []
            bytes.append(floats: GGUFLlamaViewTests.indexed(rows: rows, cols: cols))
            b.addTensor(name, dims: rows == 1 ? [UInt64(cols)] : [UInt64(cols), UInt64(rows)], type: 0, bytes: bytes)
        }
        tensor("token_embd.weight", 5, 8)
        tensor("blk.0.attn_q.weight", 256, 8)
        tensor("blk.0.attn_q_norm.weight", 1, 256)
        tensor("blk.0.attn_norm.weight", 1, 8)
        tensor("blk.0.post_attention_norm.weight", 1, 8)
        tensor("blk.0.ffn_norm.weight", 1, 8)
        tensor("blk.0.post_ffw_norm.weight", 1, 8)
        tensor("output_norm.weight", 1, 8)
        return b
    }

    @Test func exposesHuggingFaceNamesUnpermuted() throws {
        let folder = try TempFolder()
        let checkpoint = try ModelRegistry.open(try folder.write("tiny.gguf", Self.builder().bytes))
        #expect(
            checkpoint.tensorNames == [
                "model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
                "model.layers.0.post_attention_layernorm.weight", "model.layers.0.post_feedforward_layernorm.weight",
                "model.layers.0.pre_feedforward_layernorm.weight", "model.layers.0.self_attn.q_norm.weight",
                "model.layers.0.self_attn.q_proj.weight", "model.norm.weight",
            ])
        #expect(
            try checkpoint.floats("model.layers.0.self_attn.q_proj.weight")
                == GGUFLlamaViewTests.indexed(rows: 256, cols: 8))
    }

    @Test("the metadata is read straight into the configuration HF's GGUF loader builds")
    func readsTheConfigurationHFsGGUFLoaderBuilds() throws {
        let folder = try TempFolder()
        let checkpoint = try ModelRegistry.open(try folder.write("tiny.gguf", Self.builder().bytes))
        #expect(String(decoding: checkpoint.configData, as: UTF8.self) == #"{"model_type":"gemma3_text"}"#)
        let config = try #require(checkpoint.configuration as? Gemma3Configuration)
        #expect(config.headDim == 256)
        #expect(config.kvHeads == 1)
        #expect(config.ropeTheta == 1e6)
        #expect(config.ropeLocalBaseFrequency == 10000)
        #expect(config.slidingWindow == 4)
        #expect(config.slidingWindowPattern == 6)
        #expect(config.queryPreAttentionScalar == 256)
        #expect(config.vocabularySize == 5)
    }

    @Test(
        "metadata HF's GGUF loader and llama.cpp would read differently is refused naming the key",
        arguments: [
            (Change(skipping: "gemma3.attention.head_count_kv"), "gemma3.attention.head_count_kv"),
            (Change(skipping: "gemma3.rope.freq_base"), "gemma3.rope.freq_base"),
            (Change(skipping: "gemma3.attention.sliding_window"), "gemma3.attention.sliding_window"),
            (
                Change(u32: ["gemma3.attention.key_length": 128, "gemma3.attention.value_length": 128]),
                "gemma3.attention.key_length"
            ),
            (Change(u32: ["gemma3.block_count": 62]), "gemma3.attention.key_length"),
            (Change(u32: ["gemma3.attention.value_length": 128]), "gemma3.attention.value_length"),
            (Change(string: ["gemma3.rope.scaling.type": "linear"]), "gemma3.rope.scaling.type"),
            (Change(f32: ["gemma3.rope.scaling.factor": 8]), "gemma3.rope.scaling.factor"),
            (Change(f32: ["gemma3.rope.freq_base_swa": 20000]), "gemma3.rope.freq_base_swa"),
            (Change(u32: ["gemma3.attention.sliding_window_pattern": 4]), "gemma3.attention.sliding_window_pattern"),
            (Change(f32: ["gemma3.attn_logit_softcapping": 50]), "gemma3.attn_logit_softcapping"),
        ])
    func refusedMetadata(change: Change, key: String) throws {
        let folder = try TempFolder()
        let url = try folder.write("tiny.gguf", Self.builder(change).bytes)
        let error = try #require(throws: CheckpointError.self) { try ModelRegistry.open(url) }
        #expect("\(error)".contains(key), "\(error)")
    }

    @Test("a local RoPE base of 10000 in the metadata agrees with HF's default and is read")
    func localBaseOfTenThousand() throws {
        let folder = try TempFolder()
        let url = try folder.write("tiny.gguf", Self.builder(Change(f32: ["gemma3.rope.freq_base_swa": 10000])).bytes)
        #expect(try ModelRegistry.open(url).format == .gguf)
    }
}
