import Foundation
import Testing
import TestSupport
import AttnCheckpoint
@testable import AttnModel

/// SmolLM2-135M (GGUF, Q4_1, fetched by `.ci/setup`) read through the llama
/// family's GGUF view: metadata, HF names, config and un-permuted Q/K rows.
struct RealGGUFCheckpointTests {
    @Test func smolLM2MetadataTensorsAndConfig() throws {
        let checkpoint = try ModelRegistry.open(try Fixtures.require(Fixtures.smolLM2))
        let gguf = try #require(checkpoint.gguf)
        #expect(gguf.version == 3)
        #expect(gguf.metadata.count == 33)
        #expect(gguf.metadata["llama.block_count"]?.int == 30)
        #expect(gguf.metadata["tokenizer.ggml.model"]?.string == "gpt2")
        #expect(gguf.metadata["tokenizer.ggml.pre"]?.string == "smollm")
        #expect(gguf.metadata["tokenizer.ggml.tokens"]?.stringArray?.count == 49152)
        #expect(gguf.metadata["tokenizer.ggml.merges"]?.stringArray?.count == 48900)
        #expect(gguf.metadata["tokenizer.ggml.token_type"]?.intArray?.count == 49152)
        #expect(gguf.tensors.count == 272)
        #expect(checkpoint.tensorNames.count == 272)
        #expect(
            gguf.tensors["token_embd.weight"]
                == TensorInfo(name: "token_embd.weight", shape: [49152, 576], dtype: .q8_0))
        #expect(checkpoint.info("model.layers.29.mlp.down_proj.weight")?.shape == [576, 1536])
        #expect(checkpoint.info("model.layers.0.self_attn.k_proj.weight")?.dtype == .q4_1)
        #expect(!checkpoint.contains("lm_head.weight"))
        for layer in 0..<30 {
            #expect(checkpoint.contains("model.layers.\(layer).post_attention_layernorm.weight"))
        }
        #expect(checkpoint.parameterCount == 134_515_008)

        let config = try #require(checkpoint.configuration as? LlamaConfiguration)
        #expect(config.hiddenSize == 576)
        #expect(config.heads == 9)
        #expect(config.kvHeads == 3)
        #expect(config.headDim == 64)
        #expect(config.layers == 30)
        #expect(config.intermediateSize == 1536)
        #expect(config.theta == 100000)
        #expect(config.rmsNormEps == 1e-5)
        #expect(config.maxPositions == 8192)
        #expect(config.vocabularySize == 49152)
    }

    /// Reference values: gguf-py dequantized the tensor and transformers'
    /// `LlamaTensorProcessor` (its `_reverse_permute_weights`) un-permuted it;
    /// `weighted` is the float64 sum of (row + 1) × value. Printed by
    /// `make_gguf_fixture.py --smollm2 notebooks-data/checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf`.
    @Test(arguments: [
        (
            "model.layers.0.self_attn.q_proj.weight", 576,
            [-0x1.8a8p-4, -0x1.46p-3, -0x1.cp-4, -0x1.8dap-3] as [Float], Float(-0x1.e08p-4), 25935.41357421875
        ),
        (
            "model.layers.0.self_attn.k_proj.weight", 192, [-0x1.3ep-3, 0x1.a08p-3, -0x1.04p-3, -0x1.2ep-4],
            Float(0x1.dp-5), 4799.570251464844
        ),
        (
            "model.layers.29.self_attn.q_proj.weight", 576, [0x1.0c4p-2, 0x1.1238p-2, -0x1.cp-6, 0x1.c2p-5],
            Float(0x1.17c8p-2), 38357.101570129395
        ),
    ])
    func smolLM2UnpermutedProjectionsMatchTransformers(
        name: String, rows: Int, column0: [Float], row32col1: Float, weighted: Double
    ) throws {
        let checkpoint = try ModelRegistry.open(try Fixtures.require(Fixtures.smolLM2))
        let w = try checkpoint.floats(name, shape: [rows, 576])
        #expect((0..<4).map { w[$0 * 576] } == column0)
        #expect(w[32 * 576 + 1] == row32col1)
        var sum = 0.0
        for r in 0..<rows {
            for c in 0..<576 { sum += Double(r + 1) * Double(w[r * 576 + c]) }
        }
        #expect(abs(sum - weighted) < 1e-9 * abs(weighted))
    }
}
