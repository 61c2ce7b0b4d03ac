import AttnCheckpoint
import AttnKernels

/// The `config.json` keys HF's `BertConfig` and `MPNetConfig` (transformers
/// 5.24) both read, under the same names, and the one key each adds: BERT's
/// token types and position type, MPNet's bucket count. Each family checks
/// its own key; the shared ones are checked here before they become sizes.
struct EncoderConfiguration: Decodable, Sendable {
    var vocabularySize: Int
    var hiddenSize: Int
    var layers: Int
    var heads: Int
    var intermediateSize: Int
    var positions: Int
    var eps: Float?
    var activation: String?
    /// BERT: token types (HF default 2).
    var typeVocabularySize: Int?
    /// BERT: only `absolute` runs.
    var positionType: String?
    /// MPNet: HF looks up 32 buckets whatever this says.
    var buckets: Int?

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case layers = "num_hidden_layers"
        case heads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case positions = "max_position_embeddings"
        case eps = "layer_norm_eps"
        case activation = "hidden_act"
        case typeVocabularySize = "type_vocab_size"
        case positionType = "position_embedding_type"
        case buckets = "relative_attention_num_buckets"
    }

    /// Checks every shared size and number against ``ModelLimits`` (at least
    /// `minimumPositions` positions), that the heads divide the width, and the
    /// activation; returns the activation.
    func validate(_ check: ConfigCheck, minimumPositions: Int = 1) throws -> Kernels.Activation {
        try check.count(CodingKeys.vocabularySize, vocabularySize, ModelLimits.vocabularySize)
        try check.count(CodingKeys.hiddenSize, hiddenSize, ModelLimits.hiddenSize)
        try check.count(CodingKeys.layers, layers, ModelLimits.layers)
        try check.count(CodingKeys.heads, heads, ModelLimits.heads)
        try check.count(CodingKeys.intermediateSize, intermediateSize, ModelLimits.intermediateSize)
        try check.count(CodingKeys.positions, positions, minimumPositions...ModelLimits.contextLength.upperBound)
        if let eps { try check.nonNegative(CodingKeys.eps, eps) }
        guard hiddenSize % heads == 0 else {
            throw ModelError(
                path: check.path,
                "config.json: hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(heads)")
        }
        guard let kind = Kernels.Activation(configName: activation ?? "gelu") else {
            throw ModelError(path: check.path, "config.json: hidden_act '\(activation ?? "")' is not supported")
        }
        return kind
    }
}
