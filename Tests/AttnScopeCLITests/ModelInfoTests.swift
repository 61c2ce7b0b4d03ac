import AttnModel
import AttnScope
import Foundation
import Testing

/// `metrics.json`'s `"model"` object: the loaded model's ``ModelDescription`` written as the flat object attnscope always wrote.
struct ModelInfoTests {
    static func json(_ info: ModelInfo) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(info), as: UTF8.self)
    }

    @Test(
        "a loaded model's record: the description's fields, the cache figures and the windows, read back to the same record"
    )
    func recordOfADescription() throws {
        let description = ModelDescription(
            family: "gemma3", variant: "transformer", layers: 3, heads: 4, kvHeads: 1, headDim: 8, hiddenSize: 16,
            intermediateSize: 32, vocabularySize: 5, maxPositions: 64, causal: true, parameters: 1234,
            keyBlocks: 3, valueBlocks: 3, blockWindows: [4, nil, 4])
        let info = ModelInfo(description: description, path: "/m", format: "gguf", tokenizer: nil)
        let written = try Self.json(info)
        #expect(
            written
                == #"{"block_windows":[4,null,4],"causal":true,"family":"gemma3","format":"gguf","global_blocks":[1],"#
                + #""head_dim":8,"heads":4,"hidden_size":16,"kv_cache_bytes_per_token":96,"kv_cache_ratio":0.25,"kv_heads":1,"layers":3,"#
                + #""max_positions":64,"parameters":1234,"path":"/m","sliding_blocks":2,"sliding_window":4,"variant":"transformer"}"#
        )
        let read = try JSONDecoder().decode(ModelInfo.self, from: Data(written.utf8))
        #expect(read == info)
        #expect(try Self.json(read) == written)
        #expect(read.layers == 3 && read.kvHeads == 1 && read.globalBlocks == [1] && read.slidingBlocks == 2)
    }

    @Test("a document written before block_windows is written back as it was read")
    func legacyWindowsRoundTrip() throws {
        let legacy =
            #"{"causal":true,"family":"llama","format":"safetensors","head_dim":4,"heads":2,"hidden_size":8,"#
            + #""kv_cache_bytes_per_token":32,"kv_cache_ratio":0.5,"kv_heads":1,"layers":2,"max_positions":64,"parameters":10,"#
            + #""path":"m","sliding_blocks":2,"sliding_window":3,"variant":"transformer"}"#
        let read = try JSONDecoder().decode(ModelInfo.self, from: Data(legacy.utf8))
        #expect(try Self.json(read) == legacy)
        #expect(read.blockWindows == nil && read.slidingWindow == 3)
    }
}
