import AttnModel
import Foundation
import Testing
import TestSupport

/// GPT-NeoX (Pythia), OLMo 2 and MPNet against HF transformers eager, from
/// HF folders and from GGUF files written as llama.cpp's converter writes them.
@Suite("GPT-NeoX, OLMo 2 and MPNet equal HF transformers")
struct NewFamilyGoldenTests {
    let golden = GoldenForwardTests()

    @Test("tiny GPT-NeoX: parallel residual, rotary on 4 of 16 values, F16 safetensors")
    func neoxTiny() throws { try golden.check("neox-tiny", checkpoint: Fixtures.url("models/neox-tiny"), family: "gpt_neox") }

    @Test("tiny GPT-NeoX: sequential residual, rotary on 8 of 16 values, F16 safetensors")
    func neoxSequentialTiny() throws {
        try golden.check("neox-sequential-tiny", checkpoint: Fixtures.url("models/neox-sequential-tiny"), family: "gpt_neox")
    }

    @Test("the same GPT-NeoX as llama.cpp writes it (attn_qkv reordered to [Q|K|V]) equals HF's run of the folder")
    func neoxGGUF() throws { try golden.check("neox-tiny", checkpoint: Fixtures.url("gguf/neox-tiny.gguf"), family: "gpt_neox") }

    @Test("tiny OLMo 2: norms after attention and MLP, q/k norms over the whole projection, GQA, BF16 safetensors")
    func olmo2Tiny() throws { try golden.check("olmo2-tiny", checkpoint: Fixtures.url("models/olmo2-tiny"), family: "olmo2") }

    @Test("the same OLMo 2 as llama.cpp writes it equals HF's run of the folder")
    func olmo2GGUF() throws { try golden.check("olmo2-tiny", checkpoint: Fixtures.url("gguf/olmo2-tiny.gguf"), family: "olmo2") }

    @Test("the parallel residual is computed: run sequentially, GPT-NeoX moves away from HF's")
    func parallelResidualMatters() throws {
        let sequential = try RefusalTests.model("neox-tiny", config: ["use_parallel_residual": false])
        let deviation = try compare(try ModelRegistry.load(ModelRegistry.open(sequential)), with: try GoldenCapture("neox-tiny"))
        #expect(deviation.hidden > 100 * GoldenForwardTests.stateTolerance)
    }

    @Test("partial rotary is computed: rotating every value moves GPT-NeoX's maps away from HF's")
    func partialRotaryMatters() throws {
        let full = try RefusalTests.model("neox-tiny", config: ["rope_parameters": ["rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 1.0]])
        let deviation = try compare(try ModelRegistry.load(ModelRegistry.open(full)), with: try GoldenCapture("neox-tiny"))
        #expect(deviation.attention > 100 * GoldenForwardTests.attentionTolerance)
    }
}
