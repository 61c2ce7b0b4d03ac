import AttnAnalysis

/// Test shortcuts that feed flat arrays to a ``SampleAnalyzer``.
extension SampleAnalyzer {
    /// Hands over block `layer` from arrays (`attention` `[H, T, T]`, `values` `[G, T, d]`).
    mutating func add(
        layer: Int, heads: Int, kvHeads: Int, headDim: Int, tokens: Int, causal: Bool,
        attention: [Float], values: [Float]
    ) throws {
        try attention.withUnsafeBufferPointer { a in
            try values.withUnsafeBufferPointer { v in
                try addBlock(
                    layer: layer, heads: heads, kvHeads: kvHeads, headDim: headDim, tokenCount: tokens,
                    causal: causal, attention: a, values: v)
            }
        }
    }

    /// Hands over hidden state `h[index]` from an array `[T, D]`.
    mutating func add(hidden index: Int, tokens: Int, size: Int, values: [Float]) throws {
        try values.withUnsafeBufferPointer {
            try addHiddenState(index: index, tokenCount: tokens, hiddenSize: size, values: $0)
        }
    }
}
