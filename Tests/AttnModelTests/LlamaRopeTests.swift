@testable import AttnModel
import Testing

/// Llama 3 RoPE scaling reproduces PyTorch's inverse frequencies bit for bit.
@Suite("Llama 3 RoPE scaling")
struct LlamaRopeTests {
    /// `_compute_llama3_parameters` of transformers 5.23 for Llama 3.1 8B (θ 5e5, head size 128,
    /// factor 8, low/high frequency factors 1 and 4, original context 8192), float32 bit patterns.
    static let llama31: [UInt32] = [
        0x3f80_0000, 0x3f50_8ac1, 0x3f29_e1c6, 0x3f0a_6384, 0x3ee1_77bc, 0x3eb7_ab7d, 0x3e95_9ee3, 0x3e73_c461,
        0x3e46_93b0, 0x3e21_c3a0, 0x3e03_c6a0, 0x3dd6_b19c, 0x3dae_e4ad, 0x3d8e_7898, 0x3d68_1e67, 0x3d3d_1684,
        0x3d1a_08c8, 0x3cfa_f53f, 0x3ccc_6f49, 0x3ca6_8939, 0x3c87_a9c3, 0x3c5d_06ec, 0x3c34_0d6d, 0x3c12_ac7f,
        0x3bee_f74f, 0x3bc2_aa76, 0x3b9e_9402, 0x3b81_2e35, 0x3b52_7720, 0x3b0d_fd06, 0x3ab3_d11d, 0x3a60_979e,
        0x3a09_95d2, 0x39a3_f108, 0x393b_2dd2, 0x38c8_6886, 0x38a3_418d, 0x3884_fdbf, 0x3858_ac81, 0x3830_8199,
        0x380f_c8f8, 0x37ea_426f, 0x37be_d4f4, 0x379b_7475, 0x377d_45c3, 0x374e_51f5, 0x3728_126b, 0x3708_ea0f,
        0x36df_10c4, 0x36b5_b687, 0x3694_06cb, 0x3671_2b80, 0x3644_7610, 0x3620_0a69, 0x3602_5f34, 0x35d4_6808,
        0x35ad_07a7, 0x358c_f400, 0x3565_a54d, 0x353b_12c7, 0x3518_64a7, 0x34f8_48c2, 0x34ca_41b0, 0x34a4_c2ff,
    ]

    @Test("Llama 3.1 8B's scaled inverse frequencies equal PyTorch's bit for bit")
    func llama31Frequencies() {
        let rope = LlamaRope(
            theta: 500_000,
            llama3: .init(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8192)
        )
        #expect(rope.inverseFrequencies(headDim: 128).map(\.bitPattern) == Self.llama31)
    }
}
