import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint

/// The real safetensors checkpoint fetched by `.ci/setup`: all-MiniLM-L6-v2
/// (the GGUF files are read through their families: AttnModelTests).
struct RealCheckpointTests {
    @Test func miniLMIsABert() throws {
        let checkpoint = try Checkpoint.openFolderOrFail(try Fixtures.require(Fixtures.miniLM))
        #expect(checkpoint.format == .safetensors)
        #expect(checkpoint.tokenizerURL?.lastPathComponent == "tokenizer.json")
        let config = try #require(try JSONSerialization.jsonObject(with: checkpoint.configData) as? [String: Any])
        #expect(config["model_type"] as? String == "bert")
        #expect(checkpoint.tensorNames.count == 103)
        #expect(
            checkpoint.info("embeddings.word_embeddings.weight")
                == TensorInfo(name: "embeddings.word_embeddings.weight", shape: [30522, 384], dtype: .f32))
        #expect(checkpoint.info("embeddings.position_embeddings.weight")?.shape == [512, 384])
        for layer in 0..<6 {
            let p = "encoder.layer.\(layer)."
            #expect(checkpoint.info(p + "attention.self.query.weight")?.shape == [384, 384])
            #expect(checkpoint.info(p + "attention.output.LayerNorm.bias")?.shape == [384])
            #expect(checkpoint.info(p + "intermediate.dense.weight")?.shape == [1536, 384])
            #expect(checkpoint.info(p + "output.dense.weight")?.shape == [384, 1536])
        }
        #expect(checkpoint.info("pooler.dense.weight")?.shape == [384, 384])
        let gamma = try checkpoint.floats("embeddings.LayerNorm.weight", shape: [384])
        #expect(gamma.allSatisfy(\.isFinite) && gamma.contains { $0 != 0 })
        let ids = #expect(throws: CheckpointError.self) { try checkpoint.floats("embeddings.position_ids") }
        #expect(ids?.message.contains("unsupported dtype 'I64'") == true)
    }
}
