import Foundation

/// Maps data values onto 0...1 for a colormap: linearly between `min` and `max`, or
/// logarithmically between a positive `floor` and `max` (values at or below the floor take the
/// cold end), so that a 0.9 sink does not wash out attention of 0.01.
public enum ColorScale: Sendable, Hashable {
    /// Linear from `min` (0) to `max` (1).
    case linear(min: Float, max: Float)
    /// Base-10 logarithmic from `floor` (0) to `max` (1); `floor` > 0.
    case log(floor: Float, max: Float)

    /// The default floor of logarithmic attention scales.
    public static let defaultLogFloor: Float = 1e-4

    /// A linear scale from 0 to the matrix's largest entry (at least a tiny positive number).
    public static func linear(fitting matrix: Matrix) -> ColorScale {
        .linear(min: min(0, matrix.finiteRange?.min ?? 0), max: max(matrix.finiteRange?.max ?? 1, 1e-12))
    }

    /// A logarithmic scale from `floor` to the matrix's largest entry.
    public static func log(fitting matrix: Matrix, floor: Float = defaultLogFloor) -> ColorScale {
        .log(floor: floor, max: max(matrix.finiteRange?.max ?? 1, floor * 10))
    }

    /// A linear scale symmetric about 0 (for differences on a diverging colormap).
    public static func symmetric(fitting matrix: Matrix) -> ColorScale {
        let range = matrix.finiteRange ?? (0, 0)
        let extent = max(abs(range.min), abs(range.max), 1e-12)
        return .linear(min: -extent, max: extent)
    }

    /// `value` mapped to 0...1 (clamped); NaN stays NaN.
    public func normalized(_ value: Float) -> Float {
        guard !value.isNaN else { return .nan }
        switch self {
        case .linear(let low, let high):
            guard high > low else { return value >= high ? 1 : 0 }
            return Swift.max(0, Swift.min(1, (value - low) / (high - low)))
        case .log(let floor, let high):
            guard floor > 0, high > floor else { return value >= high ? 1 : 0 }
            let v = Swift.max(value, floor)
            return Swift.max(0, Swift.min(1, Foundation.log10(v / floor) / Foundation.log10(high / floor)))
        }
    }

    /// Tick values inside the scale's range with their labels, on 1-2-5 steps (linear) or at
    /// decades (log).
    public func ticks(target: Int = 5) -> [(value: Float, label: String)] {
        switch self {
        case .linear(let low, let high):
            let ticks = Ticks.linear(Double(low), Double(high), target: target)
            return zip(ticks, Ticks.labels(ticks)).map { (Float($0), $1) }
        case .log(let floor, let high):
            return Ticks.logarithmic(Double(floor), Double(high)).map { (Float($0), Ticks.format($0)) }
        }
    }
}
