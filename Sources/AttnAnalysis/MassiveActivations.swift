/// The massive activations of one hidden state `h[l]` (JSON `massive_activations`).
public struct MassiveActivations: Codable, Equatable, Sendable {
    /// How many entries pass both thresholds.
    public var count: Int
    /// The largest of them by `|x|`, at most three, largest first.
    public var top: [MassiveActivation]
    /// `median |h[l]|` over all entries, the scale of the relative threshold (extra field).
    public var medianMagnitude: Double

    /// A result with the given count, largest entries and median magnitude.
    public init(count: Int, top: [MassiveActivation], medianMagnitude: Double) {
        self.count = count
        self.top = top
        self.medianMagnitude = medianMagnitude
    }

    enum CodingKeys: String, CodingKey {
        case count, top
        case medianMagnitude = "median_magnitude"
    }
}

/// One massive activation: the signed entry `h[l][token][channel]`.
public struct MassiveActivation: Codable, Equatable, Sendable {
    /// The entry's signed value (its magnitude is what passed the thresholds).
    public var value: Float
    /// The token position `t`.
    public var token: Int
    /// The channel `c`.
    public var channel: Int

    /// The entry `value` at `(token, channel)`.
    public init(value: Float, token: Int, channel: Int) {
        self.value = value
        self.token = token
        self.channel = channel
    }
}
