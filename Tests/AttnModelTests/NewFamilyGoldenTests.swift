@testable import AttnModel
import Foundation
import Testing
import TestSupport

/// GPT-NeoX (Pythia), OLMo 2 and MPNet against HF transformers eager, from
/// HF folders and from GGUF files written as llama.cpp's converter writes them.
@Suite("GPT-NeoX, OLMo 2 and MPNet equal HF transformers")
struct NewFamilyGoldenTests {
    let golden = GoldenForwardTests()

    @Test("tiny GPT-NeoX: parallel residual, rotary on 4 of 16 values, F16 safetensors")
    func neoxTiny() throws {
        try golden.check("neox-tiny", checkpoint: Fixtures.url("models/neox-tiny"), family: "gpt_neox")
    }

    @Test("tiny GPT-NeoX: sequential residual, rotary on 8 of 16 values, F16 safetensors")
    func neoxSequentialTiny() throws {
        try golden.check(
            "neox-sequential-tiny", checkpoint: Fixtures.url("models/neox-sequential-tiny"), family: "gpt_neox")
    }

    @Test("the same GPT-NeoX as llama.cpp writes it (attn_qkv reordered to [Q|K|V]) equals HF's run of the folder")
    func neoxGGUF() throws {
        try golden.check("neox-tiny", checkpoint: Fixtures.url("gguf/neox-tiny.gguf"), family: "gpt_neox")
    }

    @Test("tiny OLMo 2: norms after attention and MLP, q/k norms over the whole projection, GQA, BF16 safetensors")
    func olmo2Tiny() throws {
        try golden.check("olmo2-tiny", checkpoint: Fixtures.url("models/olmo2-tiny"), family: "olmo2")
    }

    @Test("the same OLMo 2 as llama.cpp writes it equals HF's run of the folder")
    func olmo2GGUF() throws {
        try golden.check("olmo2-tiny", checkpoint: Fixtures.url("gguf/olmo2-tiny.gguf"), family: "olmo2")
    }

    @Test("the parallel residual is computed: run sequentially, GPT-NeoX moves away from HF's")
    func parallelResidualMatters() throws {
        let sequential = try RefusalTests.model("neox-tiny", config: ["use_parallel_residual": false])
        let deviation = try compare(
            try ModelRegistry.load(ModelRegistry.open(sequential)), with: try GoldenCapture("neox-tiny"))
        #expect(deviation.hidden > 100 * GoldenForwardTests.stateTolerance)
    }

    @Test("partial rotary is computed: rotating every value moves GPT-NeoX's maps away from HF's")
    func partialRotaryMatters() throws {
        let full = try RefusalTests.model(
            "neox-tiny",
            config: ["rope_parameters": ["rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 1.0]])
        let deviation = try compare(
            try ModelRegistry.load(ModelRegistry.open(full)), with: try GoldenCapture("neox-tiny"))
        #expect(deviation.attention > 100 * GoldenForwardTests.attentionTolerance)
    }
}

extension NewFamilyGoldenTests {
    @Test(
        "tiny MPNet: the shared relative position bias, RoBERTa positions (a padding id inside a prompt), F32 safetensors"
    )
    func mpnetTiny() throws {
        try golden.check("mpnet-tiny", checkpoint: Fixtures.url("models/mpnet-tiny"), family: "mpnet")
    }

    @Test("all-mpnet-base-v2, F32 safetensors")
    func mpnet() throws { try golden.check("mpnet", checkpoint: try Fixtures.require(Fixtures.mpnet), family: "mpnet") }

    @Test("the relative position bias is computed: zeroing it moves MPNet's maps away from HF's")
    func relativeBiasMatters() throws {
        let zeroed = try RefusalTests.model("mpnet-tiny", zeroing: { $0.hasSuffix("relative_attention_bias.weight") })
        let deviation = try compare(
            try ModelRegistry.load(ModelRegistry.open(zeroed)), with: try GoldenCapture("mpnet-tiny"))
        #expect(deviation.attention > 100 * GoldenForwardTests.attentionTolerance)
    }

    @Test("MPNet's buckets are HF's relative_position_bucket (32 buckets, exact below 8, logarithmic to 128)")
    func buckets() {
        // From transformers' MPNetEncoder.relative_position_bucket for offsets j − i.
        let expected: [Int: Int] = [
            0: 0, -1: 1, 1: 17, -7: 7, 7: 23, -8: 8, 8: 24, -15: 9, -16: 10, -31: 11, -32: 12,
            -63: 13, -64: 14, -127: 15, -128: 15, -700: 15, 700: 31, 100: 31,
        ]
        for (offset, bucket) in expected { #expect(MPNet.bucket(offset: offset) == bucket, "offset \(offset)") }
    }
}

extension NewFamilyGoldenTests {
    @Test(
        "tiny GPT-OSS: learned sinks (rows summing below 1), sliding and full blocks, YaRN, 2 of 4 experts routed per token, BF16"
    )
    func gptOSSTiny() throws {
        try golden.check("gptoss-tiny", checkpoint: Fixtures.url("models/gptoss-tiny"), family: "gpt_oss")
    }

    @Test("the sinks are computed: zeroing them moves GPT-OSS's maps away from HF's")
    func sinksMatter() throws {
        let zeroed = try RefusalTests.model("gptoss-tiny", zeroing: { $0.hasSuffix("self_attn.sinks") })
        let deviation = try compare(
            try ModelRegistry.load(ModelRegistry.open(zeroed)), with: try GoldenCapture("gptoss-tiny"))
        #expect(deviation.attention > 100 * GoldenForwardTests.attentionTolerance)
    }
}

extension NewFamilyGoldenTests {
    @Test(
        "the tiny GPT-OSS as llama.cpp writes it (MXFP4 experts, gate and up split) equals HF's run of the same weights"
    )
    func gptOSSGGUF() throws {
        try golden.check("gptoss-gguf-tiny", checkpoint: Fixtures.url("gguf/gptoss-tiny.gguf"), family: "gpt_oss")
    }
}

extension NewFamilyGoldenTests {
    @Test("HF's MXFP4 GPT-OSS layout is refused by name: the config's quantization_config, and *_blocks expert tensors")
    func hfMXFP4Refused() throws {
        let quantized = try RefusalTests.model(
            "gptoss-tiny", config: ["quantization_config": ["quant_method": "mxfp4"]])
        let message = try RefusalTests.loadError(quantized)
        #expect(message.contains("quantization_config.quant_method 'mxfp4'"), "\(message)")
        let blocks = try RefusalTests.model(
            "gptoss-tiny", extra: ["model.layers.0.mlp.experts.gate_up_proj_blocks": [4, 64, 2, 16]])
        let named = try RefusalTests.loadError(blocks)
        #expect(named.contains("gate_up_proj_blocks"), "\(named)")
    }

    @Test("a GPT-NeoX config asking for a RoPE type HF's GPT-NeoX does not run is refused naming it")
    func neoxRopeTypeRefused() throws {
        let scaled = try RefusalTests.model(
            "neox-tiny", config: ["rope_parameters": ["rope_type": "linear", "factor": 2.0]])
        let message = try RefusalTests.loadError(scaled)
        #expect(message.contains("rope type 'linear'"), "\(message)")
    }
}
