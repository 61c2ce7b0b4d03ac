import Foundation

/// One axis of a chart: the data interval shown and whether it is logarithmic (base 10).
struct ChartAxis: Sendable {
    /// Smallest value shown.
    var low: Double
    /// Largest value shown.
    var high: Double
    /// Base-10 logarithmic spacing (both ends positive).
    var logarithmic: Bool

    /// Where `value` falls between the ends, 0 at `low` and 1 at `high` (not clamped).
    func fraction(_ value: Double) -> Double {
        if logarithmic {
            return (log10(max(value, low * 1e-6)) - log10(low)) / (log10(high) - log10(low))
        }
        return (value - low) / (high - low)
    }

    /// Tick values and labels inside the interval.
    func ticks(target: Int, integers: Bool = false) -> [(value: Double, label: String)] {
        if logarithmic {
            return Ticks.logarithmic(low, high).map { ($0, Ticks.format($0)) }
        }
        var ticks = Ticks.linear(low, high, target: target)
        if integers, let step = zip(ticks, ticks.dropFirst()).map({ $1 - $0 }).first, step < 1 {
            ticks = Ticks.linear(low, high, target: max(1, Int(high - low)))
        }
        return Array(zip(ticks, Ticks.labels(ticks)))
    }

    /// An interval covering `values` with 5% padding on each side (and never empty); for a
    /// logarithmic axis, from the decade below the smallest positive value to the decade above
    /// the largest.
    static func fitting(_ values: [Double], logarithmic: Bool = false) -> ChartAxis {
        let finite = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        guard let low = finite.min(), let high = finite.max() else {
            return ChartAxis(low: logarithmic ? 0.1 : 0, high: 1, logarithmic: logarithmic)
        }
        if logarithmic {
            let bottom = pow(10, floor(log10(low)))
            let top = max(pow(10, ceil(log10(high))), bottom * 10)
            return ChartAxis(low: bottom, high: top, logarithmic: true)
        }
        let span = high - low
        let pad = span > 0 ? span * 0.05 : max(abs(high) * 0.1, 0.5)
        return ChartAxis(low: low - pad, high: high + pad, logarithmic: false)
    }
}

/// The plotting rectangle of a chart with its two axes; maps data to pixels and draws the frame,
/// grid, ticks and axis titles.
struct ChartAxes: Sendable {
    /// The pixels inside the axes.
    var plot: Rect
    /// Horizontal axis.
    var x: ChartAxis
    /// Vertical axis.
    var y: ChartAxis

    /// Horizontal pixel coordinate of data value `value`.
    func px(_ value: Double) -> Float { Float(plot.x) + Float(x.fraction(value)) * Float(plot.width) }

    /// Vertical pixel coordinate of data value `value` (up is larger).
    func py(_ value: Double) -> Float { Float(plot.maxY) - Float(y.fraction(value)) * Float(plot.height) }

    /// Width of the y tick labels for `ticks`, to reserve room left of the plot.
    static func labelWidth(_ ticks: [(value: Double, label: String)]) -> Int {
        ticks.map { TextStyle.tick.length(of: $0.label) }.max() ?? 0
    }

    /// Draws horizontal grid lines and y ticks with labels, the left and bottom axis lines,
    /// x ticks with labels (unless `xTicks` is empty) and the two axis titles.
    func draw(
        on drawing: inout Drawing, xTicks: [(value: Double, label: String)], yTicks: [(value: Double, label: String)],
        xTitle: String, yTitle: String, yTitleX: Int
    ) {
        for tick in yTicks {
            let row = Int(py(tick.value).rounded(.down))
            guard row >= plot.y - 1, row <= plot.maxY else { continue }
            drawing.fill(Rect(x: plot.x, y: row, width: plot.width, height: 1), .lightGray)
            drawing.fill(Rect(x: plot.x - 4, y: row, width: 4, height: 1), .darkGray)
            drawing.text(tick.label, x: plot.x - 7, y: row, style: .tick, horizontal: .trailing, vertical: .center)
        }
        var lastRight = Int.min
        for tick in xTicks {
            let column = Int(px(tick.value).rounded(.down))
            guard column >= plot.x - 1, column <= plot.maxX else { continue }
            drawing.fill(Rect(x: column, y: plot.maxY, width: 1, height: 4), .darkGray)
            let width = TextStyle.tick.length(of: tick.label)
            guard column - width / 2 > lastRight + 4 else { continue }
            let box = drawing.text(tick.label, x: column + 1, y: plot.maxY + 6, style: .tick, horizontal: .center)
            lastRight = box.maxX
        }
        drawing.fill(Rect(x: plot.x - 1, y: plot.y, width: 1, height: plot.height + 1), .black)
        drawing.fill(Rect(x: plot.x - 1, y: plot.maxY, width: plot.width + 1, height: 1), .black)
        let line = TextStyle.body.lineHeight
        if !xTitle.isEmpty {
            let below = xTicks.isEmpty ? 6 : 6 + line + 6
            drawing.text(xTitle, x: plot.x + plot.width / 2, y: plot.maxY + below, horizontal: .center)
        }
        if !yTitle.isEmpty {
            drawing.text(
                yTitle, x: yTitleX, y: plot.y + plot.height / 2, style: TextStyle(rotated: true), vertical: .center)
        }
    }
}
