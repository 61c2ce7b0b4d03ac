import AttnCheckpoint
import AttnModel
import Foundation
import Testing
import TestSupport

/// The paper's variants equal their PyTorch references (hooks over HF Llama in
/// Tests/Fixtures/generate/variants_reference.py).
@Suite("Architecture variants")
struct VariantTests {
    static func open(_ name: String, variant: String = "auto") throws -> any TransformerModel {
        try ModelRegistry.load(
            try ModelRegistry.open(Fixtures.url("models/\(name)")), variant: try VariantRequest(parsing: variant))
    }

    @Test(
        "each variant equals its reference",
        arguments: [
            ("resformer", "resformer"), ("resformer-lambda", "resformer:lambda=2.0"),
            ("resformer-learnable", "resformer:learnable"), ("svformer", "svformer"), ("neutreno", "neutreno"),
            ("neutreno-resformer", "neutreno+resformer"), ("denseformer", "denseformer"), ("cla", "cla"),
        ]
    )
    func matchesReference(fixture: String, expectedName: String) throws {
        let golden = try GoldenCapture(fixture)
        let model = try Self.open(fixture, variant: golden.header.variant ?? "auto")
        #expect(model.description.variant == expectedName)
        let deviation = try compare(model, with: golden)
        print("golden \(fixture): \(deviation)")
        #expect(deviation.blocksSeen == golden.header.samples.count * golden.header.layers)
        #expect(deviation.attention <= GoldenForwardTests.attentionTolerance)
        #expect(deviation.values <= GoldenForwardTests.stateTolerance)
        #expect(deviation.hidden <= GoldenForwardTests.stateTolerance)
    }

    @Test("the variant fixtures are not plain transformers in disguise", arguments: ["resformer", "neutreno"])
    func variantsChangeTheOutput(fixture: String) throws {
        let plain = try compare(try Self.open(fixture, variant: "transformer"), with: try GoldenCapture(fixture))
        #expect(plain.hidden > 1e-2)
    }

    /// Records every block's attention maps and value states.
    struct Recorder: ProbeObserver {
        var attention: [[Float]] = []
        var values: [[Float]] = []
        mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {}
        mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest {
            AttentionRequest(wholeMap: true)
        }
        mutating func block(_ capture: borrowing BlockCapture) throws {
            attention.append(capture.withAttention { $0.withUnsafeBufferPointer(Array.init) } ?? [])
            values.append(capture.withValues { $0.withUnsafeBufferPointer(Array.init) })
        }
    }

    @Test(
        "a plain Llama run as resformer: maps equal in blocks 1-2 and differ from block 3, values differ from block 2")
    func resformerOnPlainLlama() throws {
        let tokens = [5, 17, 301, 44, 44, 9, 260, 511]
        var plain = Recorder(), mixed = Recorder()
        try Self.open("llama-tiny").run(tokens: tokens, observer: &plain)
        try Self.open("llama-tiny", variant: "resformer").run(tokens: tokens, observer: &mixed)
        #expect(plain.attention.count == 3 && mixed.attention.count == 3)
        #expect(plain.attention[0] == mixed.attention[0])
        #expect(plain.attention[1] == mixed.attention[1])
        #expect(plain.attention[2] != mixed.attention[2])
        #expect(plain.values[0] == mixed.values[0])
        #expect(plain.values[1] != mixed.values[1])
        #expect(plain.values[2] != mixed.values[2])
    }

    @Test(
        "a variant that contradicts the weights or the config is an error",
        arguments: [
            ("llama-tiny", "svformer", "have their own v_proj"),
            ("llama-tiny", "cla", "every block has its own k_proj and v_proj"),
            ("llama-tiny", "neutreno", "needs kv heads = heads"),
            ("svformer", "resformer", "blocks 1, 2, 3 have none (the weights say svformer)"),
            ("svformer", "transformer", "the weights say svformer"),
            ("resformer-lambda", "neutreno", "contradicts config.json's attnscope_variant 'resformer:lambda=2'"),
            ("llama-tiny", "denseformer", "needs tensor 'model.dense_weights.0'"),
            ("llama-tiny", "resformer:learnable", "needs tensor 'model.layers.1.self_attn.value_residual_lambda'"),
            ("gpt2-tiny", "resformer", "implemented for the llama family only"),
        ]
    )
    func contradictions(fixture: String, variant: String, message: String) throws {
        let error = #expect(throws: ModelError.self) { try Self.open(fixture, variant: variant) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
    }

    @Test("unknown variant spellings are rejected with the list of spellings")
    func unknownSpelling() {
        let error = #expect(throws: VariantParseError.self) { try VariantRequest(parsing: "resformer:lambda=x") }
        #expect(error?.description.contains("expected one of: auto, transformer, resformer") == true)
        #expect(throws: VariantParseError.self) { try VariantRequest(parsing: "mamba") }
    }

    @Test("blocks that own keys and values are read from the weights")
    func owningBlocks() throws {
        let svformer = try Self.open("svformer").description
        #expect(svformer.keyBlocks == 4 && svformer.valueBlocks == 1)
        let cla = try Self.open("cla").description
        #expect(cla.keyBlocks == 2 && cla.valueBlocks == 2)
        let resformer = try Self.open("resformer", variant: "resformer").description
        #expect(resformer.keyBlocks == 4 && resformer.valueBlocks == 4)
    }

    @Test("a variant nothing in the checkpoint declares is counterfactual; a declared or detected one is not")
    func counterfactual() throws {
        #expect(
            try Self.open("llama-tiny", variant: "resformer").description.counterfactual
                == "variant resformer applied to a checkpoint trained as transformer")
        for (name, variant) in [
            ("llama-tiny", "auto"), ("llama-tiny", "transformer"), ("neutreno-resformer", "neutreno+resformer"),
            ("resformer-learnable", "resformer:learnable"), ("svformer", "svformer"), ("cla", "cla"),
            ("denseformer", "denseformer"),
        ] {
            #expect(try Self.open(name, variant: variant).description.counterfactual == nil, "\(name) as \(variant)")
        }
    }
}

/// KV-cache bytes per token against metrics.md's formulas.
@Suite("KV-cache accounting")
struct KVCacheTests {
    /// A SmolLM2-like shape: 9 heads of 64, with `kvHeads`, over `layers` blocks.
    static func shape(layers: Int, kvHeads: Int, keyBlocks: Int, valueBlocks: Int) -> ModelDescription {
        ModelDescription(
            family: "llama", variant: "x", layers: layers, heads: 9, kvHeads: kvHeads, headDim: 64, hiddenSize: 576,
            intermediateSize: 1536, vocabularySize: 49152, maxPositions: 8192, causal: true, parameters: 0,
            keyBlocks: keyBlocks, valueBlocks: valueBlocks
        )
    }

    @Test("plain, SVFormer, GQA, CLA2 and combinations at L = 8 and L = 30", arguments: [8, 30])
    func formulas(layers: Int) {
        let L = Double(layers)
        let plain = Self.shape(layers: layers, kvHeads: 9, keyBlocks: layers, valueBlocks: layers)
        #expect(plain.kvCacheBytesPerToken() == 2 * layers * 9 * 64 * 2)
        #expect(plain.kvCacheRatio == 1)
        let svformer = Self.shape(layers: layers, kvHeads: 9, keyBlocks: layers, valueBlocks: 1)
        #expect(svformer.kvCacheBytesPerToken() == (layers + 1) * 9 * 64 * 2)
        #expect(abs(svformer.kvCacheRatio - (L + 1) / (2 * L)) < 1e-12)
        let gqa = Self.shape(layers: layers, kvHeads: 3, keyBlocks: layers, valueBlocks: layers)
        #expect(abs(gqa.kvCacheRatio - 3.0 / 9.0) < 1e-12)
        let cla2 = Self.shape(layers: layers, kvHeads: 9, keyBlocks: layers / 2, valueBlocks: layers / 2)
        #expect(cla2.kvCacheRatio == 0.5)
        let svformerGQA = Self.shape(layers: layers, kvHeads: 3, keyBlocks: layers, valueBlocks: 1)
        #expect(abs(svformerGQA.kvCacheRatio - (L + 1) / (2 * L) * 3 / 9) < 1e-12)
        #expect(plain.kvCacheBytesPerToken(elementBytes: 4) == 2 * plain.kvCacheBytesPerToken())
    }

    @Test("A sliding block's cache stops growing at its window; a full block's keeps growing")
    func slidingWindowBoundsTheCache() {
        // Gemma 3 270M's shape: 18 blocks, 1 kv head of 256, 15 blocks sliding over 512 tokens.
        let gemma = ModelDescription(
            family: "gemma3", variant: "transformer", layers: 18, heads: 4, kvHeads: 1, headDim: 256, hiddenSize: 640,
            intermediateSize: 2048, vocabularySize: 262_144, maxPositions: 32768, causal: true, parameters: 0,
            keyBlocks: 18, valueBlocks: 18,
            blockWindows: (0..<18).map { ($0 + 1) % 6 == 0 ? nil : 512 }
        )
        let perBlockToken = 2 * 1 * 256 * 2
        #expect(gemma.kvCacheBytes(tokens: 100) == 18 * perBlockToken * 100)
        #expect(gemma.kvCacheBytes(tokens: 512) == 18 * perBlockToken * 512)
        #expect(gemma.kvCacheBytes(tokens: 32768) == (3 * 32768 + 15 * 512) * perBlockToken)
        let plain = Self.shape(layers: 8, kvHeads: 9, keyBlocks: 8, valueBlocks: 8)
        #expect(plain.kvCacheBytes(tokens: 1000) == plain.kvCacheBytesPerToken() * 1000)
        var shared = gemma
        shared.valueBlocks = 1
        #expect(shared.kvCacheBytes(tokens: 1000) == nil)
    }

    @Test("SVFormer at L = 8 keeps 56 % of the cache")
    func svformerEight() {
        let ratio = Self.shape(layers: 8, kvHeads: 9, keyBlocks: 8, valueBlocks: 1).kvCacheRatio
        #expect(abs(ratio - 0.5625) < 1e-12)
    }
}
