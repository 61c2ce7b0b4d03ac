import AttnCheckpoint
import AttnModel
import Foundation
import Testing
import TestSupport

/// What a family does not compute is refused by name, never run as something else: tensors left
/// unread, model types routed nowhere, sliding-window rules HF would not run and RoPE scaling.
@Suite("Refusals instead of different numbers")
struct RefusalTests {
    /// A copy of fixture `model` with the tensors `zeroing` selects set to 0, `extra` F32 tensors
    /// of zeros appended to its safetensors file, and `config` entries merged into its config.json
    /// (`NSNull()` writes null).
    static func model(
        _ model: String, extra: [String: [Int]] = [:], config: [String: Any] = [:],
        zeroing: (String) -> Bool = { _ in false }
    ) throws -> URL {
        let folder = try TempFolder().keep()
        let source = Fixtures.url("models/\(model)")
        var bytes = [UInt8](try Data(contentsOf: source.appendingPathComponent("model.safetensors")))
        let length = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        var header = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        var data = Array(bytes[(8 + length)...])
        for (name, entry) in header where zeroing(name) {
            let offsets = try #require((entry as? [String: Any])?["data_offsets"] as? [Int])
            data.replaceSubrange(offsets[0]..<offsets[1], with: repeatElement(0, count: offsets[1] - offsets[0]))
        }
        for (name, shape) in extra.sorted(by: { $0.key < $1.key }) {
            let count = shape.reduce(1, *)
            header[name] = ["dtype": "F32", "shape": shape, "data_offsets": [data.count, data.count + 4 * count]]
            data += [UInt8](repeating: 0, count: 4 * count)
        }
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header))
        bytes = []
        bytes.append(le: UInt64(json.count))
        try Data(bytes + json + data).write(to: folder.appendingPathComponent("model.safetensors"))
        var settings = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json")))
                as? [String: Any])
        settings.merge(config) { $1 }
        try JSONSerialization.data(withJSONObject: settings).write(to: folder.appendingPathComponent("config.json"))
        return folder
    }

    static func loadError(_ url: URL) throws -> String {
        let error = try #require(throws: (any Error).self) { try ModelRegistry.load(ModelRegistry.open(url)) }
        return "\(error)"
    }

    @Test(
        "a tensor no family code reads is refused by name",
        arguments: [
            ("llama-tiny", "model.layers.0.self_attn.q_proj.bias", [64]),
            ("llama-tiny", "model.layers.1.mlp.gate_proj.bias", [96]),
            ("qwen2-tiny", "model.layers.0.self_attn.o_proj.bias", [64]),
            ("mistral-tiny", "model.layers.2.self_attn.k_proj.bias", [32]),
            ("llama-tiny", "model.layers.0.self_attn.q_norm.weight", [16]),
            ("phi3-tiny", "model.layers.1.self_attn.q_proj.weight", [64, 64]),
            ("phi3-tiny", "model.layers.0.mlp.up_proj.weight", [96, 64]),
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
        #expect(try ModelRegistry.load(ModelRegistry.open(llama)).description.layers == 3)
        let bert = try Self.model("bert-tiny", extra: ["pooler.dense.weight": [4, 4], "cls.predictions.bias": [4]])
        #expect(try ModelRegistry.load(ModelRegistry.open(bert)).description.family == "bert")
    }

    @Test("Qwen2 weights without q/k/v biases are refused naming the missing bias")
    func qwen2WithoutBiases() throws {
        let message = try Self.loadError(try Self.model("llama-tiny", config: ["model_type": "qwen2"]))
        #expect(message.contains("'model.layers.0.self_attn.q_proj.bias'"), "\(message)")
    }

    @Test("Qwen3 weights without q_norm/k_norm are refused naming the missing norm")
    func qwen3WithoutNorms() throws {
        let message = try Self.loadError(try Self.model("llama-tiny", config: ["model_type": "qwen3"]))
        #expect(message.contains("'model.layers.0.self_attn.q_norm.weight'"), "\(message)")
    }

    @Test("Phi-3 without its fused projections is refused naming qkv_proj")
    func phi3WithoutFusedWeights() throws {
        let message = try Self.loadError(try Self.model("llama-tiny", config: ["model_type": "phi3"]))
        #expect(message.contains("'model.layers.0.self_attn.qkv_proj.weight'"), "\(message)")
    }

    @Test(
        "a partial rotation is refused naming partial_rotary_factor",
        arguments: [
            (
                "phi3-tiny",
                #"{"partial_rotary_factor": 0.5, "rope_parameters": {"rope_theta": 10000.0, "rope_type": "default"}}"#
            ),
            (
                "phi3-tiny",
                #"{"rope_parameters": {"rope_theta": 10000.0, "rope_type": "default", "partial_rotary_factor": 0.75}}"#
            ),
            ("llama3-rope-tiny", #"{"partial_rotary_factor": 0.5}"#),
        ])
    func partialRotation(model: String, config: String) throws {
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let message = try Self.loadError(try Self.model(model, config: entries))
        #expect(message.contains("config.json: partial_rotary_factor"), "\(message)")
    }

    @Test(
        "RoPE types other than default and llama3 are refused naming the key and the type",
        arguments: [
            (
                "phi3-tiny",
                #"{"rope_scaling": {"type": "longrope", "short_factor": [1, 1, 1, 1, 1, 1, 1, 1], "long_factor": [2, 2, 2, 2, 2, 2, 2, 2]}}"#,
                "rope_scaling", "longrope"
            ),
            ("phi3-tiny", #"{"rope_parameters": {"rope_type": "su", "rope_theta": 10000.0}}"#, "rope_parameters", "su"),
            (
                "phi3-tiny",
                #"{"rope_parameters": {"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4}}"#,
                "rope_parameters", "llama3"
            ),
            ("llama-tiny", #"{"rope_scaling": {"rope_type": "yarn", "factor": 4.0}}"#, "rope_scaling", "yarn"),
            (
                "llama-tiny", #"{"rope_parameters": {"rope_type": "linear", "factor": 2.0}}"#, "rope_parameters",
                "linear"
            ),
        ])
    func ropeTypes(model: String, config: String, key: String, type: String) throws {
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let message = try Self.loadError(try Self.model(model, config: entries))
        #expect(message.contains("config.json: \(key): rope type '\(type)'"), "\(message)")
    }

    @Test("llama3 RoPE without its factors is refused naming them")
    func llama3MissingFactors() throws {
        let message = try Self.loadError(
            try Self.model("llama-tiny", config: ["rope_parameters": ["rope_type": "llama3", "factor": 8.0]]))
        #expect(
            message.contains(
                "config.json: rope_parameters: rope type 'llama3' needs factor, low_freq_factor and high_freq_factor"),
            "\(message)")
    }

    /// The blocks a config makes slide, and their window.
    static func windows(_ model: String, _ config: [String: Any]) throws -> (window: Int?, blocks: Int) {
        let d = try ModelRegistry.load(ModelRegistry.open(try Self.model(model, config: config))).description
        return (d.slidingWindow, d.slidingBlocks)
    }

    @Test("Qwen2 slides where HF does: layer_types, else blocks ≥ max_window_layers, only with use_sliding_window")
    func qwen2Windows() throws {
        #expect(try Self.windows("qwen2-tiny", [:]) == (5, 2))
        #expect(try Self.windows("qwen2-tiny", ["layer_types": NSNull()]) == (5, 2))
        #expect(try Self.windows("qwen2-tiny", ["layer_types": NSNull(), "max_window_layers": 0]) == (5, 3))
        #expect(try Self.windows("qwen2-tiny", ["layer_types": NSNull(), "use_sliding_window": false]) == (nil, 0))
        #expect(try Self.windows("qwen2-tiny", ["layer_types": NSNull(), "max_window_layers": 3]) == (nil, 0))
        #expect(try Self.windows("qwen3-tiny", [:]) == (5, 1))
        #expect(try Self.windows("qwen3-tiny", ["layer_types": NSNull(), "max_window_layers": 0]) == (5, 3))
        #expect(try Self.windows("qwen3-tiny", ["layer_types": NSNull(), "use_sliding_window": false]) == (nil, 0))
    }

    @Test(
        "a Qwen2 layer_types HF would not run is refused naming the key",
        arguments: [
            #"{"use_sliding_window": false}"#,
            #"{"sliding_window": null}"#,
            #"{"layer_types": ["full_attention", "chunked_attention", "sliding_attention"]}"#,
            #"{"layer_types": ["full_attention"]}"#,
        ])
    func qwen2LayerTypes(config: String) throws {
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let message = try Self.loadError(try Self.model("qwen2-tiny", config: entries))
        #expect(message.contains("config.json: layer_types"), "\(message)")
    }

    @Test(
        "Mistral's and Phi-3's windows cover every block and prompts past them run; Llama ignores sliding_window, as HF does"
    )
    func slidingWindow() throws {
        #expect(try Self.windows("mistral-tiny", [:]) == (5, 3))
        #expect(try Self.windows("mistral-tiny", ["sliding_window": NSNull()]) == (nil, 0))
        #expect(try Self.windows("phi3-tiny", [:]) == (7, 3))
        #expect(try Self.windows("phi3-tiny", ["sliding_window": NSNull()]) == (nil, 0))
        #expect(try Self.windows("llama-tiny", ["sliding_window": 4]) == (nil, 0))
        let mistral = try ModelRegistry.load(ModelRegistry.open(Fixtures.url("models/mistral-tiny")))
        try mistral.validate(tokens: Array(1...12))
    }

    /// A complete one-block Llama GGUF (hidden 32, 2 heads, vocab 16) of zeros, with `edit` applied.
    static func microGGUF(_ edit: (inout GGUFBuilder) -> Void) throws -> URL {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        for (key, value) in [
            ("llama.embedding_length", 32), ("llama.feed_forward_length", 32), ("llama.block_count", 1),
            ("llama.attention.head_count", 2), ("llama.context_length", 64),
        ] {
            b.add(key, u32: UInt32(value))
        }
        b.add("llama.attention.layer_norm_rms_epsilon", f32: 1e-5)
        edit(&b)
        func tensor(_ name: String, _ dims: [UInt64]) {
            b.addTensor(name, dims: dims, type: 0, bytes: [UInt8](repeating: 0, count: 4 * Int(dims.reduce(1, *))))
        }
        tensor("token_embd.weight", [32, 16])
        for name in ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"] {
            tensor("blk.0.\(name).weight", [32, 32])
        }
        tensor("blk.0.attn_norm.weight", [32])
        tensor("blk.0.ffn_norm.weight", [32])
        let url = try TempFolder().keep().appendingPathComponent("micro.gguf")
        try Data(b.bytes).write(to: url)
        return url
    }

    @Test(
        "GGUF RoPE scaling keys, and rope_freqs.weight divisors that are not positive or of the wrong size, are refused"
    )
    func ggufRopeScaling() throws {
        #expect(try ModelRegistry.load(ModelRegistry.open(try Self.microGGUF { _ in })).description.layers == 1)
        let zeros = try Self.loadError(
            try Self.microGGUF {
                $0.addTensor("rope_freqs.weight", dims: [8], type: 0, bytes: [UInt8](repeating: 0, count: 32))
            })
        #expect(zeros.contains("tensor 'rope_freqs.weight': factor 0 is 0.0, not a finite positive number"), "\(zeros)")
        var ones: [UInt8] = []
        ones.append(floats: [Float](repeating: 1, count: 4))
        let short = try Self.loadError(
            try Self.microGGUF { $0.addTensor("rope_freqs.weight", dims: [4], type: 0, bytes: ones) })
        #expect(short.contains("rope_freqs.weight") && short.contains("[8]"), "\(short)")
        let scaled = try #require(throws: CheckpointError.self) {
            try ModelRegistry.open(try Self.microGGUF { $0.add("llama.rope.scaling.type", string: "linear") })
        }
        #expect(scaled.key == "llama.rope.scaling.type" && scaled.message.contains("'linear'"))
        let partial = try #require(throws: CheckpointError.self) {
            try ModelRegistry.open(try Self.microGGUF { $0.add("llama.rope.dimension_count", u32: 8) })
        }
        #expect(
            partial.key == "llama.rope.dimension_count"
                && partial.message.contains("rotates 8 of each head's 16 dimensions"), "\(partial)")
    }

    @Test("A GGUF architecture no family reads is refused by name, before its tensor types")
    func unsupportedArchitecture() throws {
        let quant = try #require(throws: CheckpointError.self) {
            try ModelRegistry.open(Fixtures.url("gguf/quant-tiny.gguf"))
        }
        #expect(
            quant.description.contains(
                "quant-tiny.gguf: key 'general.architecture': unsupported architecture 'quanttest' (supported: llama"))
        // gemma4 with an IQ2_XS (type 17) tensor: the architecture is named, not the type.
        var b = GGUFBuilder()
        b.add("general.architecture", string: "gemma4")
        b.addTensor("token_embd.weight", dims: [256, 1], type: 17, bytes: [UInt8](repeating: 0, count: 74))
        let url = try TempFolder().keep().appendingPathComponent("g4.gguf")
        try Data(b.bytes).write(to: url)
        let error = try #require(throws: CheckpointError.self) { try ModelRegistry.open(url) }
        #expect(
            error.key == "general.architecture" && error.message.contains("unsupported architecture 'gemma4'"),
            "\(error)")
        // A llama file with that tensor: now the type is named.
        var c = GGUFBuilder()
        c.add("general.architecture", string: "llama")
        c.addTensor("token_embd.weight", dims: [256, 1], type: 17, bytes: [UInt8](repeating: 0, count: 74))
        let typed = try TempFolder().keep().appendingPathComponent("l.gguf")
        try Data(c.bytes).write(to: typed)
        let typeError = try #require(throws: CheckpointError.self) { try ModelRegistry.open(typed) }
        #expect(typeError.message.contains("IQ2_XS"), "\(typeError)")
    }
}
