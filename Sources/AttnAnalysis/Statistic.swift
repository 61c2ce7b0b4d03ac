/// The mean, standard deviation and count of one figure over the samples of a dataset, kept as a running accumulator.
///
/// Values are added one at a time (Welford) and accumulators of disjoint
/// sample sets combine exactly (Chan et al.), so a dataset run never holds
/// its samples and shards merge into the statistic one run would have had.
/// `sd` is the sample standard deviation (divisor `n − 1`), 0 for a single
/// value. Samples where the figure is undefined (null) are left out, so
/// `count` can be below the sample count; with none defined, `mean` and `sd`
/// are null. JSON: `{mean, sd, count, m2}`, where `m2` is the sum of squared
/// deviations from the mean, in full precision, for merging.
///
/// Values are bounded by ``largestMagnitude`` so that no sum of them can overflow: an accumulator then keeps
/// `|mean| ≤ largestMagnitude` and `m2 ≤ count · (2 · largestMagnitude)²`, which stays finite for any count an
/// `Int` holds, and merging two accumulators keeps both bounds. Metrics computed from float32 activations stay
/// far below it (the largest, a ratio of a float32 maximum to a denormal, is about 1e84); a file claiming more
/// is refused.
public struct Statistic: Codable, Equatable, Sendable {
    /// The largest magnitude a value may have: 1e100.
    public static let largestMagnitude = 1e100
    /// The largest `m2` per counted value that bounded values can produce: `(2 · largestMagnitude)²`.
    static let largestSquaredDeviation = 4e200

    /// How many samples define the figure.
    public private(set) var count: Int
    /// The sum of squared deviations from the mean.
    public private(set) var m2: Double
    private var runningMean: Double

    /// An empty accumulator.
    public init() {
        count = 0
        m2 = 0
        runningMean = 0
    }

    /// The statistic of the defined entries of `values`, accumulated in float64.
    public init<S: Sequence<Double?>>(_ values: S) throws(OutOfRange) {
        self.init()
        for value in values { try add(value) }
    }

    /// A value that is not finite or is larger than ``Statistic/largestMagnitude``.
    public struct OutOfRange: Error, Sendable {
        public var value: Double
    }

    /// The unweighted mean over the samples where the figure is defined.
    public var mean: Double? { count > 0 ? runningMean : nil }

    /// The sample standard deviation (n − 1), 0 when `count` is 1.
    public var sd: Double? {
        count > 0 ? (count > 1 ? (m2 / Double(count - 1)).squareRoot() : 0) : nil
    }

    /// Adds one sample's value; nil (undefined) leaves the statistic as it is. A value that is not
    /// finite or exceeds ``largestMagnitude`` is refused, the statistic left unchanged.
    public mutating func add(_ value: Double?) throws(OutOfRange) {
        guard let value else { return }
        guard value.isFinite, abs(value) <= Self.largestMagnitude else { throw OutOfRange(value: value) }
        count += 1
        let delta = value - runningMean
        runningMean += delta / Double(count)
        m2 += delta * (value - runningMean)
    }

    /// The statistic of this accumulator's samples and `other`'s together (Chan et al.'s pairwise combination).
    public func merged(with other: Statistic) -> Statistic {
        guard other.count > 0 else { return self }
        guard count > 0 else { return other }
        var result = Statistic()
        result.count = count + other.count
        let n = Double(result.count), delta = other.runningMean - runningMean
        result.runningMean = runningMean + delta * Double(other.count) / n
        result.m2 = m2 + other.m2 + delta * delta * Double(count) * Double(other.count) / n
        return result
    }

    enum CodingKeys: String, CodingKey {
        case mean, sd, count, m2
    }

    /// Reads `{mean, count, m2}` (sd is derived), rejecting counts, means and sums that no accumulator can hold.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        m2 = try container.decode(Double.self, forKey: .m2)
        let mean = try container.decodeIfPresent(Double.self, forKey: .mean)
        let bounded = abs(mean ?? 0) <= Self.largestMagnitude && m2 <= Double(count) * Self.largestSquaredDeviation
        guard count >= 0, m2.isFinite, m2 >= 0, (mean == nil) == (count == 0), mean?.isFinite ?? true, bounded else {
            throw DecodingError.dataCorruptedError(
                forKey: .count, in: container,
                debugDescription: "not a statistic (count \(count), mean \(mean.map { "\($0)" } ?? "null"), m2 \(m2))")
        }
        runningMean = mean ?? 0
    }

    /// Encodes every field, writing an undefined mean and sd as JSON null rather than leaving them out.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(sd, forKey: .sd)
        try container.encode(count, forKey: .count)
        try container.encode(m2, forKey: .m2)
    }
}
