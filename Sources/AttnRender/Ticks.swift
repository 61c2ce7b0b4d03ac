import Foundation

/// Tick positions on "nice" 1-2-5 steps and their labels.
public enum Ticks {
    /// The smallest step of the form {1, 2, 5} × 10^k that is at least `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        for multiple in [1.0, 2.0, 5.0, 10.0] where multiple * magnitude >= raw * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }

    /// Ticks on a 1-2-5 step inside `low...high`, about `target` of them (at least two when the
    /// range is non-empty), each a multiple of the step.
    public static func linear(_ low: Double, _ high: Double, target: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite else { return [] }
        guard high > low else { return [low] }
        let step = niceStep((high - low) / Double(max(1, target)))
        let first = (low / step - 1e-9).rounded(.up)
        let last = (high / step + 1e-9).rounded(.down)
        guard first <= last else { return [low, high] }
        return stride(from: first, through: last, by: 1).map { $0 * step == 0 ? 0 : $0 * step }
    }

    /// Decade ticks 10^k inside `low...high` (both positive); 2× and 5× subdivisions are added
    /// when fewer than three decades fall inside.
    public static func logarithmic(_ low: Double, _ high: Double) -> [Double] {
        guard low > 0, high > low else { return [max(low, 0)] }
        let lowest = low * (1 - 1e-9)
        let highest = high * (1 + 1e-9)
        let firstDecade = Int(ceil(log10(low) - 1e-9))
        let lastDecade = Int(floor(log10(high) + 1e-9))
        var ticks: [Double] = []
        if firstDecade <= lastDecade {
            ticks = (firstDecade...lastDecade).map { pow(10, Double($0)) }
        }
        if ticks.count < 3 {
            let k0 = Int(floor(log10(low)))
            let k1 = Int(ceil(log10(high)))
            ticks = []
            for k in k0...k1 {
                for multiple in [1.0, 2.0, 5.0] {
                    let tick = multiple * pow(10, Double(k))
                    if tick >= lowest && tick <= highest { ticks.append(tick) }
                }
            }
        }
        return ticks
    }

    /// Labels for linear ticks: as many decimals as the step needs and no more ("0", "0.25", "1e+04").
    public static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map(format) }
        let step = zip(ticks, ticks.dropFirst()).map { abs($1 - $0) }.filter { $0 > 0 }.min() ?? 1
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e5 || (largest > 0 && largest < 1e-3) {
            return ticks.map { $0 == 0 ? "0" : String(format: "%.0e", $0) }
        }
        let decimals = max(0, Int(ceil(-log10(step) - 1e-9)))
        return ticks.map { String(format: "%.\(decimals)f", $0 == 0 ? 0 : $0) }
    }

    /// A compact label for one value: decimal between 0.001 and 99999, otherwise "1e-4" style.
    public static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e5 {
            if abs(value - value.rounded()) < 1e-9 * magnitude { return String(Int(value.rounded())) }
            var text = String(format: "%.4g", value)
            if text.contains("e") {  // %g switched to exponent form: print decimals, then drop trailing zeros
                text = String(format: "%.3f", value)
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        let exponent = Int(floor(log10(magnitude)))
        let mantissa = value / pow(10, Double(exponent))
        let head =
            abs(mantissa - mantissa.rounded()) < 1e-6
            ? String(Int(mantissa.rounded())) : String(format: "%.1f", mantissa)
        return "\(head)e\(exponent)"
    }
}
