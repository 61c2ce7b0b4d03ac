/// A 256-entry colour lookup table mapping a normalized value in 0...1 to a colour.
public struct Colormap: Sendable, Hashable {
    /// The map's name, e.g. "viridis".
    public let name: String
    /// 256 entries of flat r, g, b bytes; entry 0 is the cold end (value 0), entry 255 the hot end.
    public let table: [UInt8]

    /// The colour of table entry `index` (clamped to 0...255).
    public func entry(_ index: Int) -> RGBA {
        let i = max(0, min(255, index)) * 3
        return RGBA(table[i], table[i + 1], table[i + 2])
    }

    /// The colour for `t` in 0...1 (clamped; NaN gives the cold end): entry `round(t * 255)`.
    public func color(at t: Float) -> RGBA {
        guard t.isFinite else { return entry(t == .infinity ? 255 : 0) }
        return entry(Int((max(0, min(1, t)) * 255).rounded()))
    }

    /// The colour of value 0: the cold end.
    public var coldEnd: RGBA { entry(0) }
    /// The colour of value 1: the hot end.
    public var hotEnd: RGBA { entry(255) }

    /// Viridis: perceptually uniform, dark purple (low) to yellow (high); the default for maps.
    public static let viridis = Colormap(name: "viridis", table: viridisTable)
    /// Magma: perceptually uniform, black (low) to pale yellow (high).
    public static let magma = Colormap(name: "magma", table: magmaTable)
    /// RdBu_r: diverging, blue (low) through white (middle) to red (high), for differences.
    public static let rdBu = Colormap(name: "RdBu_r", table: rdBuTable)
}
