import AttnCheckpoint
import AttnModel
import Foundation
import Testing
import TestSupport

/// Every captured attention map, value state and hidden state equals HF
/// transformers' eager forward pass.
///
/// Tolerances: attention probabilities max |Δ| ≤ 1e-4. States (values and
/// hidden): max |Δ| ≤ 2e-5 × the tensor's largest magnitude, scaled by the
/// largest entry because states with massive activations have entries near
/// zero whose element-wise relative error means nothing. Both sides run
/// float32 with different summation orders (OpenBLAS vs PyTorch's kernels),
/// so each product carries ~1e-7 relative rounding that compounds over
/// depth: the worst seen is 4.1e-6 (SmolLM2, 30 blocks), 5× under the bound
/// to leave room for other CPUs' BLAS kernels.
@Suite("Forward pass equals HF transformers")
struct GoldenForwardTests {
    static let stateTolerance: Float = 2e-5
    static let attentionTolerance: Float = 1e-4

    func check(_ golden: String, checkpoint url: URL, family: String) throws {
        let model = try ModelRegistry.load(try ModelRegistry.open(url))
        let capture = try GoldenCapture(golden)
        #expect(model.description.family == family)
        #expect(model.description.layers == capture.header.layers)
        let deviation = try compare(model, with: capture)
        print("golden \(golden): \(deviation)")
        let samples = capture.header.samples.count
        #expect(deviation.blocksSeen == samples * capture.header.layers)
        #expect(deviation.hiddenSeen == samples * (capture.header.layers + 1))
        #expect(deviation.attention <= Self.attentionTolerance)
        #expect(deviation.values <= Self.stateTolerance)
        #expect(deviation.hidden <= Self.stateTolerance)
    }

    @Test("tiny Llama with GQA, BF16 safetensors")
    func llamaTiny() throws { try check("llama-tiny", checkpoint: Fixtures.url("models/llama-tiny"), family: "llama") }

    @Test("tiny Qwen2 with q/k/v biases, GQA and a 5-token window on blocks 1 and 2, BF16 safetensors")
    func qwen2Tiny() throws { try check("qwen2-tiny", checkpoint: Fixtures.url("models/qwen2-tiny"), family: "llama") }

    @Test("tiny Mistral with GQA and a 5-token window on every block, 12-token prompts, BF16 safetensors")
    func mistralTiny() throws {
        try check("mistral-tiny", checkpoint: Fixtures.url("models/mistral-tiny"), family: "llama")
    }

    @Test(
        "tiny Qwen3 with q/k norms, head_dim 24 ≠ hidden/heads, attention biases and a 5-token window on block 2, BF16 safetensors"
    )
    func qwen3Tiny() throws { try check("qwen3-tiny", checkpoint: Fixtures.url("models/qwen3-tiny"), family: "llama") }

    @Test("tiny Phi-3 with fused qkv_proj and gate_up_proj, GQA and a 7-token window on every block, BF16 safetensors")
    func phi3Tiny() throws { try check("phi3-tiny", checkpoint: Fixtures.url("models/phi3-tiny"), family: "llama") }

    @Test("tiny Llama with llama3 RoPE scaling (kept, blended and divided frequencies), BF16 safetensors")
    func llama3RopeTiny() throws {
        try check("llama3-rope-tiny", checkpoint: Fixtures.url("models/llama3-rope-tiny"), family: "llama")
    }

    @Test("llama3 RoPE scaling reads the transformers 4.x spelling (rope_scaling beside rope_theta) alike")
    func llama3RopeScalingKey() throws {
        let scaling: [String: Any] = [
            "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
            "original_max_position_embeddings": 64,
        ]
        let legacy = try RefusalTests.model(
            "llama3-rope-tiny", config: ["rope_parameters": NSNull(), "rope_scaling": scaling, "rope_theta": 10000.0]
        )
        try check("llama3-rope-tiny", checkpoint: legacy, family: "llama")
    }

    @Test("the same Llama 3 model as llama.cpp writes it (GGUF, permuted Q/K, rope_freqs.weight divisors) equals HF's")
    func llama3RopeGGUF() throws {
        try check("llama3-rope-tiny", checkpoint: Fixtures.url("gguf/llama3-rope-tiny.gguf"), family: "llama")
    }

    @Test("a qwen2 GGUF (q/k/v biases, rows not permuted) equals HF's reading of the same file")
    func qwen2GGUF() throws {
        try check("qwen2-gguf-tiny", checkpoint: Fixtures.url("gguf/qwen2-gguf-tiny.gguf"), family: "llama")
    }

    @Test("a qwen3 GGUF (q/k norms, head size from key_length) equals HF's reading of the same file")
    func qwen3GGUF() throws {
        try check("qwen3-gguf-tiny", checkpoint: Fixtures.url("gguf/qwen3-gguf-tiny.gguf"), family: "llama")
    }

    @Test("a phi3 GGUF (fused attn_qkv and ffn_up, sliding_window key) equals HF's run of the original Phi-3")
    func phi3GGUF() throws { try check("phi3-tiny", checkpoint: Fixtures.url("gguf/phi3-tiny.gguf"), family: "llama") }

    @Test("llama3 RoPE scaling is computed: plain RoPE moves the maps away from HF's")
    func llama3ScalingMatters() throws {
        let plain = try RefusalTests.model(
            "llama3-rope-tiny", config: ["rope_parameters": ["rope_type": "default", "rope_theta": 10000.0]])
        let unscaled = try compare(
            try ModelRegistry.load(ModelRegistry.open(plain)), with: try GoldenCapture("llama3-rope-tiny"))
        print("golden llama3-rope-tiny with plain RoPE: \(unscaled)")
        #expect(unscaled.attention > 100 * Self.attentionTolerance)
    }

    @Test("Qwen3's q/k norms are computed: zero norm weights move the maps away from HF's")
    func qwen3NormsMatter() throws {
        let zeroed = try RefusalTests.model(
            "qwen3-tiny", zeroing: { $0.hasSuffix("_norm.weight") && $0.contains("self_attn") })
        let unnormed = try compare(
            try ModelRegistry.load(ModelRegistry.open(zeroed)), with: try GoldenCapture("qwen3-tiny"))
        print("golden qwen3-tiny with zero q/k norms: \(unnormed)")
        #expect(unnormed.attention > 100 * Self.attentionTolerance)
    }

    @Test("Qwen2's q/k/v biases are computed: zeroing them moves every map away from HF's")
    func qwen2Biases() throws {
        let zeroed = try RefusalTests.model("qwen2-tiny", zeroing: { $0.hasSuffix("_proj.bias") })
        let deviation = try compare(
            try ModelRegistry.load(ModelRegistry.open(zeroed)), with: try GoldenCapture("qwen2-tiny"))
        print("golden qwen2-tiny without biases: \(deviation)")
        #expect(deviation.attention > 100 * Self.attentionTolerance)
        #expect(deviation.values > 100 * Self.stateTolerance)
    }

    @Test(
        "tiny Gemma 3 with local and global blocks, a 5-token window, GQA, head_dim 24, query_pre_attn_scalar 20, linear RoPE scaling, BF16 safetensors"
    )
    func gemma3Tiny() throws {
        try check("gemma3-tiny", checkpoint: Fixtures.url("models/gemma3-tiny"), family: "gemma3")
    }

    @Test("tiny Gemma 3 GGUF as llama.cpp writes it (norms stored as w + 1, BF16), read as HF's GGUF loader reads it")
    func gemma3GGUFTiny() throws {
        try check("gemma3-gguf-tiny", checkpoint: Fixtures.url("gguf/gemma3-gguf-tiny.gguf"), family: "gemma3")
    }

    @Test("tiny GPT-2, F16 safetensors")
    func gpt2Tiny() throws { try check("gpt2-tiny", checkpoint: Fixtures.url("models/gpt2-tiny"), family: "gpt2") }

    @Test("tiny BERT, F32 safetensors")
    func bertTiny() throws { try check("bert-tiny", checkpoint: Fixtures.url("models/bert-tiny"), family: "bert") }

    @Test("SmolLM2-135M, Q4_1 GGUF")
    func smolLM2() throws { try check("smollm2", checkpoint: try Fixtures.require(Fixtures.smolLM2), family: "llama") }

    @Test("all-MiniLM-L6-v2, F32 safetensors")
    func miniLM() throws { try check("minilm", checkpoint: try Fixtures.require(Fixtures.miniLM), family: "bert") }
}
