/// An HF RoPE dictionary (`rope_parameters`, or the older `rope_scaling`):
/// the keys the families read. Which of them a family computes, and which
/// RoPE types it refuses, is the family's business.
struct RopeParameters: Decodable, Sendable {
    var ropeType: String?
    /// The older spelling of `rope_type`.
    var type: String?
    var ropeTheta: Double?
    var factor: Double?
    var lowFrequencyFactor: Double?
    var highFrequencyFactor: Double?
    var originalMaxPositions: Int?
    var partialRotaryFactor: Double?

    enum CodingKeys: String, CodingKey {
        case type, factor
        case ropeType = "rope_type"
        case ropeTheta = "rope_theta"
        case lowFrequencyFactor = "low_freq_factor"
        case highFrequencyFactor = "high_freq_factor"
        case originalMaxPositions = "original_max_position_embeddings"
        case partialRotaryFactor = "partial_rotary_factor"
    }

    /// `rope_type`, else the older `type`, else `default`, as HF's standardization reads it.
    var resolvedType: String { ropeType ?? type ?? "default" }

    /// `self` with the keys of `other` that are set written over it (Python's `dict.update`).
    func updated(with other: RopeParameters) -> RopeParameters {
        RopeParameters(
            ropeType: other.ropeType ?? ropeType, type: other.type ?? type, ropeTheta: other.ropeTheta ?? ropeTheta,
            factor: other.factor ?? factor, lowFrequencyFactor: other.lowFrequencyFactor ?? lowFrequencyFactor,
            highFrequencyFactor: other.highFrequencyFactor ?? highFrequencyFactor,
            originalMaxPositions: other.originalMaxPositions ?? originalMaxPositions,
            partialRotaryFactor: other.partialRotaryFactor ?? partialRotaryFactor
        )
    }
}
