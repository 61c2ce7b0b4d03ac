import AttnCheckpoint
import AttnKernels

/// A BERT encoder, a port of HF's `modeling_bert.py` (transformers 5.23): word + position + token-type embeddings with LayerNorm,
/// bidirectional attention, post-LayerNorm blocks, GELU (erf).
///
/// h[0] is the embedding LayerNorm's output (the input to block 0). Tensor
/// names may carry a `bert.` prefix (`BertFor…` checkpoints) or not. Every
/// token has token type 0 and no padding.
struct BERT: BlockArchitecture {
    let description: ModelDescription
    private let eps: Float
    private let activation: Kernels.Activation
    private let wordEmbeddings, positionEmbeddings, typeEmbeddings: WeightMatrix
    private let embeddingNormWeight, embeddingNormBias: FloatBuffer
    let blocks: [Block]
    let pool = ActivationPool()

    typealias Block = EncoderLayer

    init(checkpoint: Checkpoint, variant: VariantRequest) throws {
        try variant.requirePlain(family: Self.name, path: checkpoint.url.path)
        let config = try WeightLoader.decodeConfig(EncoderConfiguration.self, from: checkpoint)
        let path = checkpoint.url.path, check = ConfigCheck(path: path)
        let activation = try config.validate(check)
        if let types = config.typeVocabularySize {
            try check.count(EncoderConfiguration.CodingKeys.typeVocabularySize, types, ModelLimits.vocabularySize)
        }
        let d = config.hiddenSize, heads = config.heads, inner = config.intermediateSize
        guard (config.positionType ?? "absolute") == "absolute" else {
            throw ModelError(
                path: path,
                "config.json: position_embedding_type '\(config.positionType ?? "")' is not supported (only absolute)")
        }
        let prefix = checkpoint.contains("bert.embeddings.word_embeddings.weight") ? "bert." : ""
        let loader = WeightLoader(checkpoint: checkpoint, prefix: prefix)
        wordEmbeddings = try loader.matrix("embeddings.word_embeddings.weight", [config.vocabularySize, d])
        positionEmbeddings = try loader.matrix("embeddings.position_embeddings.weight", [config.positions, d])
        typeEmbeddings = try loader.matrix(
            "embeddings.token_type_embeddings.weight", [config.typeVocabularySize ?? 2, d])
        embeddingNormWeight = try loader.load("embeddings.LayerNorm.weight", [d])
        embeddingNormBias = try loader.load("embeddings.LayerNorm.bias", [d])
        blocks = try (0..<config.layers).map { l in
            try EncoderLayer(loader, prefix: "encoder.layer.\(l).", names: .bert, d: d, inner: inner, heads: heads)
        }
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        eps = config.eps ?? 1e-12
        self.activation = activation
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: config.layers, heads: heads, kvHeads: heads,
            headDim: d / heads, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.positions, causal: false, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers
        )
    }

    /// Tensors a BERT checkpoint may hold that the probe has no use for: the
    /// id buffers, the pooler and the pre-training heads (`cls.*`). Anything
    /// else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        name == "embeddings.position_ids" || name == "embeddings.token_type_ids"
            || name.hasPrefix("pooler.") || name.hasPrefix("cls.")
    }

    var activations: ActivationPlan {
        EncoderLayer.activations(width: description.hiddenSize, inner: description.intermediateSize)
    }

    /// `LayerNorm(word + position + type 0)`, positions from 0 in each prompt.
    func embed(_ pass: ForwardPass<Void>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        let type = UnsafeMutablePointer<Float>.allocate(capacity: D),
            place = UnsafeMutablePointer<Float>.allocate(capacity: D)
        defer { type.deallocate(); place.deallocate() }
        typeEmbeddings.decode(row: 0, into: type)
        for rows in pass.batch.prompts {
            for (position, r) in rows.enumerated() {
                let row = x + r * D
                wordEmbeddings.decode(row: pass.tokens[r], into: row)
                positionEmbeddings.decode(row: position, into: place)
                for c in 0..<D { row[c] = row[c] + type[c] + place[c] }
            }
        }
        Kernels.layerNorm(
            x, weight: embeddingNormWeight.pointer, bias: embeddingNormBias.pointer, eps: eps, rows: pass.rows,
            width: D, into: x)
    }

    func window(_ block: Block) -> Int? { nil }
    func headNorms(_ block: Block) -> HeadNormFactors { block.headNorms }

    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<Void>) {
        block.attentionInputs(pass, width: description.hiddenSize)
    }

    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<Void>) {
        block.finish(
            pass, width: description.hiddenSize, inner: description.intermediateSize, eps: eps, activation: activation)
    }
}

extension BERT: ModelFamily {
    static let name = "bert"
    static let modelTypes = ["bert"]
    static let summary = "bidirectional encoder with absolute positions (BertModel and BertFor… checkpoints)"
}
