/// One line of a line chart: a name for the legend, y values at x = 0, 1, 2, ... (layer index)
/// and optionally a standard deviation per point for a ±sd band. NaN values leave gaps.
public struct LineSeries: Sendable, Hashable {
    /// Legend entry, e.g. the checkpoint name, at most ``maxNameCharacters`` long.
    public var name: String
    /// Longer names are cut (ending in ".."), so a legend cannot widen a figure without bound.
    public static let maxNameCharacters = 60
    /// One value per x position.
    public var values: [Float]
    /// One standard deviation per value (empty for no band).
    public var sd: [Float]

    /// A series; `sd` must be empty or as long as `values`.
    public init(name: String, values: [Float], sd: [Float] = []) throws {
        let name = TextStyle.truncated(name, to: Self.maxNameCharacters)
        guard sd.isEmpty || sd.count == values.count else {
            throw RenderError.invalidInput(
                what: "series \(name)", reason: "\(sd.count) standard deviations for \(values.count) values")
        }
        self.name = name
        self.values = values
        self.sd = sd
    }
}
