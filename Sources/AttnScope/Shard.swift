/// One of `count` slices of a prompt set (`--shard K/N`, 1-based): every
/// `count`-th prompt starting at prompt `index`.
public struct Shard: Codable, Sendable, Equatable, CustomStringConvertible {
    /// `K`, from 1 to ``count``.
    public let index: Int
    /// `N`, the number of shards the prompt set is split into.
    public let count: Int

    /// The whole prompt set as one shard.
    public static let whole = Shard(validIndex: 1, count: 1)

    private init(validIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N` with `1 ≤ K ≤ N`; nil otherwise.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        self.init(validIndex: k, count: n)
    }

    /// The 0-based prompt indices of this shard among `total` prompts, ascending.
    public func indices(of total: Int) -> StrideTo<Int> {
        stride(from: index - 1, to: max(total, index - 1), by: count)
    }

    /// How many of `total` prompts this shard holds, without listing them.
    public func size(of total: Int) -> Int {
        total >= index ? (total - index) / count + 1 : 0
    }

    /// `K/N`, as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }

    enum CodingKeys: String, CodingKey { case index, count }

    /// Reads `{"index": K, "count": N}`, refusing anything but 1 ≤ K ≤ N.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let k = try container.decode(Int.self, forKey: .index), n = try container.decode(Int.self, forKey: .count)
        guard let shard = Shard(parsing: "\(k)/\(n)") else {
            throw DecodingError.dataCorruptedError(
                forKey: .index, in: container, debugDescription: "shard \(k)/\(n) is not K/N with 1 ≤ K ≤ N")
        }
        self = shard
    }
}
