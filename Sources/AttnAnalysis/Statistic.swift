/// The mean, standard deviation and count of one figure over the samples of a dataset.
///
/// `sd` is the sample standard deviation (divisor `n − 1`), 0 for a single
/// value. Samples where the figure is undefined (null) are left out, so
/// `count` can be below the sample count; with none defined, `mean` and `sd` are null.
public struct Statistic: Codable, Equatable, Sendable {
    /// The unweighted mean over the samples where the figure is defined.
    public var mean: Double?
    /// The sample standard deviation (n − 1), 0 when `count` is 1.
    public var sd: Double?
    /// How many samples define the figure.
    public var count: Int

    /// The statistic of the defined entries of `values`, accumulated in float64.
    public init(_ values: [Double?]) {
        let defined = values.compactMap { $0 }
        count = defined.count
        guard !defined.isEmpty else {
            mean = nil
            sd = nil
            return
        }
        let average = defined.reduce(0, +) / Double(defined.count)
        mean = average
        sd = defined.count > 1
            ? (defined.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(defined.count - 1)).squareRoot()
            : 0
    }

    /// Encodes every field, writing an undefined mean and sd as JSON null rather than leaving them out.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(sd, forKey: .sd)
        try container.encode(count, forKey: .count)
    }
}
