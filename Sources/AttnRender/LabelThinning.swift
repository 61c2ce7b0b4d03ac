/// Chooses which of many evenly spaced labels to draw so that none overlap.
public enum LabelThinning {
    /// The step k (1, 2, 5, 10, 20, 50, ...) such that drawing every k-th label, with labels
    /// `thickness` pixels thick across the axis and `pitch` pixels apart, leaves at least `gap`
    /// pixels between neighbours.
    public static func step(pitch: Float, thickness: Int, gap: Int = 2) -> Int {
        guard pitch > 0 else { return Int.max }
        let needed = Float(thickness + gap) / pitch
        guard needed > 1 else { return 1 }
        return Int(Ticks.niceStep(Double(needed)).rounded(.up))
    }

    /// The indices 0, k, 2k, ... below `count` for step k from ``step(pitch:thickness:gap:)``.
    public static func indices(count: Int, pitch: Float, thickness: Int, gap: Int = 2) -> [Int] {
        let k = step(pitch: pitch, thickness: thickness, gap: gap)
        guard count > 0, k < Int.max else { return [] }
        return Array(stride(from: 0, to: count, by: k))
    }
}
