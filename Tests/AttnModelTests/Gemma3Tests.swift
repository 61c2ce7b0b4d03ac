import AttnCheckpoint
import AttnModel
import Foundation
import Testing
import TestSupport

/// Each Gemma 3 piece is computed, the legacy config spelling reads alike,
/// and what the family does not compute is refused by name. The golden
/// comparison itself is in ``GoldenForwardTests/gemma3Tiny()``.
@Suite("Gemma 3")
struct Gemma3Tests {
    static let tolerance = GoldenForwardTests.attentionTolerance

    /// The worst deviation from the gemma3-tiny golden of the fixture changed by `config` and `zeroing`.
    func deviation(config: [String: Any] = [:], zeroing: (String) -> Bool = { _ in false }) throws -> Deviation {
        let url = try RefusalTests.model("gemma3-tiny", config: config, zeroing: zeroing)
        return try compare(try ModelRegistry.load(ModelRegistry.open(url)), with: try GoldenCapture("gemma3-tiny"))
    }

    @Test(
        "the transformers 4.x spelling (sliding_window_pattern, rope_theta, rope_local_base_freq, rope_scaling) reads alike"
    )
    func legacySpelling() throws {
        let url = try RefusalTests.model(
            "gemma3-tiny",
            config: [
                "layer_types": NSNull(), "rope_parameters": NSNull(), "sliding_window_pattern": 2,
                "rope_theta": 10000.0, "rope_local_base_freq": 100.0,
                "rope_scaling": ["rope_type": "linear", "factor": 4.0],
            ])
        try GoldenForwardTests().check("gemma3-tiny", checkpoint: url, family: "gemma3")
    }

    @Test("a gemma3 (multimodal) checkpoint runs as its language model: HF's text-only forward equals gemma3-tiny's")
    func multimodalCheckpoint() throws {
        try GoldenForwardTests().check(
            "gemma3-tiny", checkpoint: Fixtures.url("models/gemma3-mm-tiny"), family: "gemma3")
    }

    @Test("a gemma3 config without text_config is refused")
    func multimodalWithoutTextConfig() throws {
        let url = try RefusalTests.model("gemma3-tiny", config: ["model_type": "gemma3"])
        let message = try RefusalTests.loadError(url)
        #expect(message.contains("config.json: a gemma3 config without text_config is not supported"), "\(message)")
    }

    @Test("vision tensors in a gemma3_text checkpoint are refused by name")
    func visionTensorsInTextCheckpoint() throws {
        let url = try RefusalTests.model(
            "gemma3-tiny", extra: ["model.vision_tower.vision_model.post_layernorm.weight": [16]])
        let message = try RefusalTests.loadError(url)
        #expect(
            message.contains("'model.vision_tower.vision_model.post_layernorm.weight'")
                && message.contains("does not use"), "\(message)")
    }

    @Test("describes its sliding blocks for KV-cache accounting")
    func description() throws {
        let model = try ModelRegistry.load(ModelRegistry.open(Fixtures.url("models/gemma3-tiny")))
        #expect(model.description.family == "gemma3")
        #expect(model.description.slidingWindow == 5)
        #expect(model.description.slidingBlocks == 2)
        #expect(model.description.headDim == 24 && model.description.kvHeads == 2)
    }

    @Test(
        "each piece matters: changing it moves the maps away from HF's",
        arguments: [
            ("zero q/k norm weights (1 + 0 instead of 1 + w)", #"{}"#, "self_attn.q_norm|self_attn.k_norm"),
            ("zero every block norm weight", #"{}"#, "layernorm"),
            ("scores scaled by head_dim^-0.5", #"{"query_pre_attn_scalar": 24}"#, ""),
            (
                "no sliding window",
                #"{"layer_types": ["full_attention", "full_attention", "full_attention", "full_attention"]}"#, ""
            ),
            (
                "local blocks with the global RoPE",
                #"{"rope_parameters": {"sliding_attention": {"rope_type": "linear", "rope_theta": 10000.0, "factor": 4.0}, "full_attention": {"rope_type": "linear", "rope_theta": 10000.0, "factor": 4.0}}}"#,
                ""
            ),
            (
                "global blocks without linear scaling",
                #"{"rope_parameters": {"sliding_attention": {"rope_type": "default", "rope_theta": 100.0}, "full_attention": {"rope_type": "default", "rope_theta": 10000.0}}}"#,
                ""
            ),
        ])
    func pieceMatters(change: String, config: String, zeroed: String) throws {
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let patterns = zeroed.split(separator: "|").map(String.init)
        let moved = try deviation(config: entries, zeroing: { name in patterns.contains { name.contains($0) } })
        print("golden gemma3-tiny with \(change): \(moved)")
        #expect(moved.attention > 100 * Self.tolerance)
    }

    @Test(
        "what Gemma 3 code does not compute is refused naming the key",
        arguments: [
            (#"{"attn_logit_softcapping": 50.0}"#, "config.json: attn_logit_softcapping 50.0 is not supported"),
            (
                #"{"use_bidirectional_attention": true}"#,
                "config.json: use_bidirectional_attention true is not supported"
            ),
            (#"{"attention_bias": true}"#, "config.json: attention_bias true is not supported"),
            (#"{"hidden_activation": "silu"}"#, "config.json: hidden_activation 'silu' is not supported"),
            (
                #"{"rope_scaling": {"rope_type": "yarn", "factor": 4.0}}"#,
                "config.json: rope_scaling: rope type 'yarn' is not supported"
            ),
            (
                #"{"rope_parameters": {"full_attention": {"rope_type": "dynamic", "factor": 2.0}}}"#,
                "config.json: rope_parameters: rope type 'dynamic' is not supported"
            ),
            (
                #"{"rope_parameters": {"rope_type": "default", "rope_theta": 10000.0}}"#,
                "config.json: key 'rope_parameters.rope_"
            ),
            (
                #"{"rope_parameters": {"full_attention": {"rope_type": "linear"}}}"#,
                "rope type 'linear' needs a finite positive factor"
            ),
            (
                #"{"layer_types": ["sliding_attention", "full_attention"]}"#,
                "config.json: layer_types has 2 entries for 4 blocks"
            ),
            (
                #"{"layer_types": ["chunked_attention", "full_attention", "full_attention", "full_attention"]}"#,
                "layer_types entry 'chunked_attention'"
            ),
            (#"{"sliding_window": null}"#, "sliding_attention but sliding_window is null"),
            (#"{"num_key_value_heads": 3}"#, "4 heads, 3 kv heads, head size 24 do not fit together"),
            (#"{"head_dim": 100000}"#, "config.json: head_dim 100000 is outside"),
        ])
    func refusedConfig(config: String, message expected: String) throws {
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let message = try RefusalTests.loadError(try RefusalTests.model("gemma3-tiny", config: entries))
        #expect(message.contains(expected), "\(message)")
    }

    @Test("an extra tensor is refused by name")
    func unusedTensor() throws {
        let message = try RefusalTests.loadError(
            try RefusalTests.model("gemma3-tiny", extra: ["model.layers.0.self_attn.q_proj.bias": [96]]))
        #expect(
            message.contains("'model.layers.0.self_attn.q_proj.bias'") && message.contains("does not use"), "\(message)"
        )
    }

    @Test("variants other than the plain transformer are refused")
    func variants() throws {
        let checkpoint = try ModelRegistry.open(Fixtures.url("models/gemma3-tiny"))
        let error = try #require(throws: ModelError.self) { try ModelRegistry.load(checkpoint, variant: .svformer) }
        #expect(error.message == "variant 'svformer' is implemented for the llama family only, not gemma3")
        #expect(try ModelRegistry.load(checkpoint, variant: .transformer).description.variant == "transformer")
    }
}
