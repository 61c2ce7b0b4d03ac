import AttnCheckpoint
import AttnKernels
import Foundation

/// An MPNet encoder (all-mpnet-base-v2), a port of HF's `modeling_mpnet.py`
/// (transformers 5.24): BERT's post-LayerNorm layers (``EncoderLayer``) with
/// RoBERTa's position ids (token `t` of a prompt without padding at
/// position `t + 2`, the padding id 1 at position 1), no token types, and one
/// T5-style relative position bias, shared by every layer, added to the
/// scaled scores: a learned value per head and bucket of the key − query
/// offset (32 buckets, bidirectional, exact below 8, logarithmic to 128).
///
/// Tensor names may carry `mpnet.` (`MPNetFor…` checkpoints) or not.
struct MPNet: BlockArchitecture {
    let description: ModelDescription
    let blocks: [EncoderLayer]
    let pool = ActivationPool()
    private let eps: Float
    private let activation: Kernels.Activation
    private let wordEmbeddings, positionEmbeddings: WeightMatrix
    private let embeddingNormWeight, embeddingNormBias: FloatBuffer
    /// The relative attention bias `[buckets, heads]`.
    private let relativeBias: [Float]

    /// HF's MPNet hard-codes both: the padding id, and the bucket count its bias lookup uses.
    static let paddingID = 1, buckets = 32

    init(checkpoint: Checkpoint, variant: VariantRequest) throws {
        let path = checkpoint.url.path
        try variant.requirePlain(family: Self.name, path: path)
        let config = try WeightLoader.decodeConfig(EncoderConfiguration.self, from: checkpoint)
        let activation = try config.validate(ConfigCheck(path: path), minimumPositions: Self.paddingID + 2)
        guard (config.buckets ?? Self.buckets) == Self.buckets else {
            throw ModelError(
                path: path,
                "config.json: relative_attention_num_buckets \(config.buckets ?? 0) is not supported (HF's MPNet looks up 32 buckets whatever the config says)"
            )
        }
        let d = config.hiddenSize, heads = config.heads, inner = config.intermediateSize
        let prefix = checkpoint.contains("mpnet.embeddings.word_embeddings.weight") ? "mpnet." : ""
        let loader = WeightLoader(checkpoint: checkpoint, prefix: prefix)
        wordEmbeddings = try loader.matrix("embeddings.word_embeddings.weight", [config.vocabularySize, d])
        positionEmbeddings = try loader.matrix("embeddings.position_embeddings.weight", [config.positions, d])
        embeddingNormWeight = try loader.load("embeddings.LayerNorm.weight", [d])
        embeddingNormBias = try loader.load("embeddings.LayerNorm.bias", [d])
        relativeBias = try loader.floats("encoder.relative_attention_bias.weight", [Self.buckets, heads])
        blocks = try (0..<config.layers).map { l in
            try EncoderLayer(loader, prefix: "encoder.layer.\(l).", names: .mpnet, d: d, inner: inner, heads: heads)
        }
        try loader.requireAllConsumed(family: Self.name, ignoring: Self.isUnused)
        eps = config.eps ?? 1e-12
        self.activation = activation
        // Positions 2 … P−1 are free for tokens (0 unused, 1 the padding position).
        description = ModelDescription(
            family: Self.name, variant: "transformer", layers: config.layers, heads: heads, kvHeads: heads,
            headDim: d / heads, hiddenSize: d, intermediateSize: inner, vocabularySize: config.vocabularySize,
            maxPositions: config.positions - Self.paddingID - 1, causal: false, parameters: checkpoint.parameterCount,
            keyBlocks: config.layers, valueBlocks: config.layers
        )
    }

    /// The cached position ids, the pooler and the masked-LM head. Anything else left unread is refused.
    static func isUnused(_ name: String) -> Bool {
        name == "embeddings.position_ids" || name.hasPrefix("pooler.") || name.hasPrefix("lm_head.")
    }

    /// The bias table for prompts of up to `longest` tokens.
    func tables(longest: Int) -> RelativePositionBias? {
        guard longest > 0 else { return nil }
        let H = description.heads
        return RelativePositionBias(tokens: longest, heads: H) { h, offset in
            relativeBias[Self.bucket(offset: offset) * H + h]
        }
    }

    /// HF's `relative_position_bucket` for key − query offset `offset` (32
    /// buckets, max distance 128), in float32 as torch computes it.
    static func bucket(offset: Int) -> Int {
        let n = -offset, half = buckets / 2, exact = half / 2
        let side = n < 0 ? half : 0, distance = abs(n)
        guard distance >= exact else { return side + distance }
        let scaled =
            Foundation.log(Float(distance) / Float(exact)) / Float(Foundation.log(128.0 / Double(exact)))
            * Float(half - exact)
        return side + min(exact + Int(scaled), half - 1)
    }

    var activations: ActivationPlan {
        EncoderLayer.activations(width: description.hiddenSize, inner: description.intermediateSize)
    }

    /// `LayerNorm(word + position)`, RoBERTa positions from each prompt's ids.
    func embed(_ pass: ForwardPass<RelativePositionBias?>) {
        let x = pass[.residual].pointer, D = description.hiddenSize
        let place = UnsafeMutablePointer<Float>.allocate(capacity: D)
        defer { place.deallocate() }
        for rows in pass.batch.prompts {
            var counted = 0
            for r in rows {
                let id = pass.tokens[r], row = x + r * D
                if id != Self.paddingID { counted += 1 }
                wordEmbeddings.decode(row: id, into: row)
                positionEmbeddings.decode(
                    row: id == Self.paddingID ? Self.paddingID : counted + Self.paddingID, into: place)
                for c in 0..<D { row[c] = row[c] + place[c] }
            }
        }
        Kernels.layerNorm(
            x, weight: embeddingNormWeight.pointer, bias: embeddingNormBias.pointer, eps: eps, rows: pass.rows,
            width: D, into: x)
    }

    func window(_ block: EncoderLayer) -> Int? { nil }
    func headNorms(_ block: EncoderLayer) -> HeadNormFactors { block.headNorms }
    func scoreBias(_ block: EncoderLayer, _ pass: ForwardPass<RelativePositionBias?>) -> RelativePositionBias? {
        pass.tables
    }

    func attentionInputs(_ block: EncoderLayer, layer: Int, _ pass: ForwardPass<RelativePositionBias?>) {
        block.attentionInputs(pass, width: description.hiddenSize)
    }

    func finish(_ block: EncoderLayer, layer: Int, _ pass: ForwardPass<RelativePositionBias?>) {
        block.finish(
            pass, width: description.hiddenSize, inner: description.intermediateSize, eps: eps, activation: activation)
    }
}

/// MPNet's place in ``ModelRegistry``: HF folders (sentence-transformers' all-mpnet-base-v2).
extension MPNet: ModelFamily {
    static let name = "mpnet"
    static let modelTypes = ["mpnet"]
    static let summary = "bidirectional encoder with a shared relative position bias and RoBERTa positions"
}
