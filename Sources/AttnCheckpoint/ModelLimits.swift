/// The largest hyperparameters attnscope accepts from a `config.json` or
/// GGUF metadata, checked before any of them becomes a size or a loop bound.
///
/// Each bound is several times the largest public model's value (noted
/// beside it), so no real checkpoint is refused, while a hostile number
/// (negative, 2³¹, 2⁶²) fails with one line instead of an overflow trap or a
/// runaway allocation. Products of two bounds fit in `Int` many times over.
public enum ModelLimits {
    /// Blocks: Llama 3.1 405B has 126.
    public static let layers = 1...1024
    /// Query (and key/value) heads: Llama 3.1 405B and DeepSeek-V3 have 128.
    public static let heads = 1...1024
    /// Head size: Gemma 3 uses 256; most models 64–128.
    public static let headDim = 1...4096
    /// Residual width: Nemotron-4 340B has 18,432.
    public static let hiddenSize = 1...131_072
    /// Feed-forward width: Nemotron-4 340B has 73,728.
    public static let intermediateSize = 1...1_048_576
    /// Vocabulary: Gemma 3 has 262,208 rows.
    public static let vocabularySize = 1...16_777_216
    /// Context length (positions): Llama 4 Scout declares 10,485,760.
    public static let contextLength = 1...16_777_216
}
