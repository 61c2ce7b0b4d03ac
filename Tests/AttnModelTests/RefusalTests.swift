import AttnCheckpoint
import AttnModel
import Foundation
import Testing
import TestSupport

/// What a family does not compute is refused by name, never run as something else: tensors left
/// unread, model types routed nowhere, sliding windows and RoPE scaling.
@Suite("Refusals instead of different numbers")
struct RefusalTests {
    /// A copy of fixture `model` with `extra` F32 tensors appended to its safetensors file and
    /// `config` entries merged into its config.json.
    static func model(_ model: String, extra: [String: [Int]] = [:], config: [String: Any] = [:]) throws -> URL {
        let folder = try TempFolder().keep()
        let source = Fixtures.url("models/\(model)")
        var bytes = [UInt8](try Data(contentsOf: source.appendingPathComponent("model.safetensors")))
        let length = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        var header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        var data = Array(bytes[(8 + length)...])
        for (name, shape) in extra.sorted(by: { $0.key < $1.key }) {
            let count = shape.reduce(1, *)
            header[name] = ["dtype": "F32", "shape": shape, "data_offsets": [data.count, data.count + 4 * count]]
            data += [UInt8](repeating: 0, count: 4 * count)
        }
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header))
        bytes = []
        bytes.append(le: UInt64(json.count))
        try Data(bytes + json + data).write(to: folder.appendingPathComponent("model.safetensors"))
        var settings = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json"))) as? [String: Any])
        settings.merge(config) { $1 }
        try JSONSerialization.data(withJSONObject: settings).write(to: folder.appendingPathComponent("config.json"))
        return folder
    }

    static func loadError(_ url: URL) throws -> String {
        let error = try #require(throws: (any Error).self) { try ModelLoader.load(Checkpoint.open(url)) }
        return "\(error)"
    }

    @Test("a tensor no family code reads is refused by name", arguments: [
        ("llama-tiny", "model.layers.0.self_attn.q_proj.bias", [64]),
        ("llama-tiny", "model.layers.1.mlp.gate_proj.bias", [96]),
        ("gpt2-tiny", "transformer.h.0.attn.extra.weight", [4]),
        ("bert-tiny", "encoder.layer.0.attention.self.distance_embedding.weight", [8, 4]),
    ])
    func unusedTensor(model: String, name: String, shape: [Int]) throws {
        let message = try Self.loadError(try Self.model(model, extra: [name: shape]))
        #expect(message.contains("'\(name)'") && message.contains("does not use"), "\(message)")
    }

    @Test("buffers and heads the probe has no use for are ignored, as documented")
    func documentedIgnores() throws {
        let llama = try Self.model("llama-tiny", extra: ["model.layers.0.self_attn.rotary_emb.inv_freq": [8]])
        #expect(try ModelLoader.load(Checkpoint.open(llama)).description.layers == 3)
        let bert = try Self.model("bert-tiny", extra: ["pooler.dense.weight": [4, 4], "cls.predictions.bias": [4]])
        #expect(try ModelLoader.load(Checkpoint.open(bert)).description.family == "bert")
    }

    @Test("Qwen2 (q/k/v biases) is not run as Llama")
    func qwen2() throws {
        let message = try Self.loadError(try Self.model("llama-tiny", config: ["model_type": "qwen2"]))
        #expect(message.contains("model_type 'qwen2' is not supported"), "\(message)")
    }

    @Test("a prompt longer than a sliding window is refused; one within it runs")
    func slidingWindow() throws {
        let model = try ModelLoader.load(Checkpoint.open(try Self.model("llama-tiny", config: ["sliding_window": 4])))
        try model.validate(tokens: [1, 2, 3, 4])
        let error = try #require(throws: ModelError.self) { try model.validate(tokens: [1, 2, 3, 4, 5]) }
        #expect(error.message.contains("sliding_window of 4"))
    }

    /// A complete one-block Llama GGUF (hidden 32, 2 heads, vocab 16) of zeros, with `edit` applied.
    static func microGGUF(_ edit: (inout GGUFBuilder) -> Void) throws -> URL {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        for (key, value) in [("llama.embedding_length", 32), ("llama.feed_forward_length", 32), ("llama.block_count", 1),
                             ("llama.attention.head_count", 2), ("llama.context_length", 64)] {
            b.add(key, u32: UInt32(value))
        }
        b.add("llama.attention.layer_norm_rms_epsilon", f32: 1e-5)
        edit(&b)
        func tensor(_ name: String, _ dims: [UInt64]) {
            b.addTensor(name, dims: dims, type: 0, bytes: [UInt8](repeating: 0, count: 4 * Int(dims.reduce(1, *))))
        }
        tensor("token_embd.weight", [32, 16])
        for name in ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"] { tensor("blk.0.\(name).weight", [32, 32]) }
        tensor("blk.0.attn_norm.weight", [32])
        tensor("blk.0.ffn_norm.weight", [32])
        let url = try TempFolder().keep().appendingPathComponent("micro.gguf")
        try Data(b.bytes).write(to: url)
        return url
    }

    @Test("Llama 3 RoPE frequency factors and RoPE scaling in a GGUF are refused")
    func ggufRopeScaling() throws {
        #expect(try ModelLoader.load(Checkpoint.open(try Self.microGGUF { _ in })).description.layers == 1)
        let factors = try Self.loadError(try Self.microGGUF { $0.addTensor("rope_freqs.weight", dims: [8], type: 0, bytes: [UInt8](repeating: 0, count: 32)) })
        #expect(factors.contains("'rope_freqs.weight'"), "\(factors)")
        let scaled = try #require(throws: CheckpointError.self) {
            try Checkpoint.open(try Self.microGGUF { $0.add("llama.rope.scaling.type", string: "linear") })
        }
        #expect(scaled.key == "llama.rope.scaling.type" && scaled.message.contains("'linear'"))
    }
}
