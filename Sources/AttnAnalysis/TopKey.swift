/// One of a block's top keys (JSON `layers[l].top_keys[]`): a key and its column-importance mass `p_j`.
public struct TopKey: Codable, Equatable, Sendable {
    /// The key's position `j`.
    public var token: Int
    /// `p_j`, the key's share of the block's column importance.
    public var mass: Double

    public init(token: Int, mass: Double) {
        self.token = token
        self.mass = mass
    }
}

extension ColumnImportance {
    /// How many keys `top_keys` names.
    public static let topKeyCount = 3

    /// `top_keys`: the ``topKeyCount`` keys with the largest `p_j`, largest
    /// first, a tie going to the smaller `j` (fewer when `T` is smaller).
    public var topKeys: [TopKey] {
        distribution.indices
            .sorted { (distribution[$0], -$0) > (distribution[$1], -$1) }
            .prefix(Self.topKeyCount)
            .map { TopKey(token: $0, mass: distribution[$0]) }
    }
}
