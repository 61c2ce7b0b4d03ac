import Foundation

/// A line chart of a per-layer metric with one line per series (checkpoint): distinct colours and
/// markers, optional ±sd bands clipped to the metric's range, dashed horizontal reference lines,
/// shaded marked blocks, axes with 1-2-5 ticks, and a legend to the right of the plot.
public struct LineChartFigure: Sendable {
    /// The lines, drawn in order with colours ``Palette/color(_:)`` and cycling marker shapes.
    public var series: [LineSeries]
    /// Title line.
    public var title: String
    /// Horizontal axis title.
    public var xLabel: String
    /// Vertical axis title (the metric).
    public var yLabel: String
    /// Dashed horizontal lines with a short label, e.g. (1.0, "no drain").
    public var referenceLines: [(value: Float, label: String)]
    /// Fixed vertical range, or nil to fit the data (and bands).
    public var yRange: ClosedRange<Float>?
    /// Size of the plotting area in pixels.
    public var plotSize: (width: Int, height: Int)
    /// The values the metric can take: bands, the fitted axis and its ticks stay inside (nil: unbounded).
    public var valueRange: ClosedRange<Float>?
    /// Blocks whose columns are shaded, with a legend entry (nil for none).
    public var marks: BlockMarks?

    /// A chart of `series`; x positions are 0, 1, 2, ... (layer index).
    public init(
        series: [LineSeries], title: String, xLabel: String = "layer", yLabel: String,
        referenceLines: [(value: Float, label: String)] = [], yRange: ClosedRange<Float>? = nil,
        plotSize: (width: Int, height: Int) = (640, 400), valueRange: ClosedRange<Float>? = nil,
        marks: BlockMarks? = nil
    ) throws {
        guard !series.isEmpty, series.contains(where: { !$0.values.isEmpty }) else {
            throw RenderError.invalidInput(what: "series", reason: "nothing to plot")
        }
        self.series = series
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.referenceLines = referenceLines
        self.yRange = yRange
        self.plotSize = (max(120, plotSize.width), max(80, plotSize.height))
        self.valueRange = valueRange
        self.marks = marks.flatMap { $0.blocks.isEmpty ? nil : $0 }
    }

    /// `value` inside ``valueRange``.
    func clipped(_ value: Float) -> Float {
        guard let range = valueRange else { return value }
        return min(max(value, range.lowerBound), range.upperBound)
    }

    /// The marker shape of series `index`.
    public static func marker(_ index: Int) -> MarkerShape { MarkerShape.allCases[index % MarkerShape.allCases.count] }

    /// The figure's description: what its PNG and its SVG both draw.
    public func drawing() throws -> Drawing {
        let count = series.map(\.values.count).max() ?? 1
        let xAxis = ChartAxis(low: -0.5, high: Double(max(1, count)) - 0.5, logarithmic: false)
        let yAxis: ChartAxis
        if let range = yRange {
            yAxis = ChartAxis(
                low: Double(range.lowerBound), high: Double(max(range.upperBound, range.lowerBound + 1e-6)),
                logarithmic: false)
        } else {
            var all: [Double] = referenceLines.map { Double($0.value) }
            for s in series {
                for (i, v) in s.values.enumerated() {
                    let sd = s.sd.isEmpty ? 0 : Double(s.sd[i])
                    let spread = Float(sd.isFinite ? sd : 0)
                    all.append(Double(clipped(v - spread)))
                    all.append(Double(clipped(v + spread)))
                }
            }
            yAxis = ChartAxis.fitting(all)
        }
        let yTicks = yAxis.ticks(target: 6).filter { tick in
            valueRange.map { Float(tick.value) >= $0.lowerBound - 1e-6 && Float(tick.value) <= $0.upperBound + 1e-6 }
                ?? true
        }
        let xTicks = xAxis.ticks(target: 10, integers: true).filter { $0.value >= 0 && $0.value <= Double(count - 1) }
        let line = TextStyle.body.lineHeight
        let margin = 16
        let legendWidth = max(
            20 + 8 + (series.map { TextStyle.body.length(of: $0.name) }.max() ?? 0), marks?.legendWidth ?? 0)
        let plotX = margin + line + 8 + ChartAxes.labelWidth(yTicks) + 8
        let plotY = margin + line + 16
        let axes = ChartAxes(
            plot: Rect(x: plotX, y: plotY, width: plotSize.width, height: plotSize.height), x: xAxis, y: yAxis)
        let width = max(
            plotX + plotSize.width + 24 + legendWidth + margin, 2 * margin + TextStyle.title.length(of: title))
        let height = plotY + plotSize.height + 6 + line + 6 + line + margin
        let legendEntries = series.count + (marks == nil ? 0 : 1)
        var drawing = try Drawing(width: width, height: max(height, plotY + legendEntries * (line + 6) + margin))
        drawing.text(title, x: margin, y: margin, style: .title)
        axes.draw(on: &drawing, xTicks: xTicks, yTicks: yTicks, xTitle: xLabel, yTitle: yLabel, yTitleX: margin)
        for block in marks?.blocks ?? [] where block >= 0 && block < count {
            let left = Int(axes.px(Double(block) - 0.5).rounded()), right = Int(axes.px(Double(block) + 0.5).rounded())
            drawing.fill(Rect(x: left, y: plotY, width: right - left, height: plotSize.height), BlockMarks.shade)
        }

        for reference in referenceLines {
            let y = axes.py(Double(reference.value))
            guard y >= Float(plotY), y <= Float(axes.plot.maxY) else { continue }
            drawing.dashedLine(
                from: Point(x: Float(plotX), y: y), to: Point(x: Float(axes.plot.maxX), y: y), color: .gray, width: 1.2)

        }
        for (index, s) in series.enumerated() where !s.sd.isEmpty {
            let color = Palette.color(index)
            var upper: [Point] = []
            var lower: [Point] = []
            for (i, v) in s.values.enumerated() where v.isFinite && s.sd[i].isFinite {
                upper.append(Point(x: axes.px(Double(i)), y: axes.py(Double(clipped(v + s.sd[i])))))
                lower.append(Point(x: axes.px(Double(i)), y: axes.py(Double(clipped(v - s.sd[i])))))
            }
            drawing.fillBand(upper: upper, lower: lower, color: RGBA(color.r, color.g, color.b, 56))
        }
        for (index, s) in series.enumerated() {
            let color = Palette.color(index)
            var run: [Point] = []
            for (i, v) in s.values.enumerated() {
                guard v.isFinite else {
                    drawing.polyline(run, color: color, width: 2)
                    run = []
                    continue
                }
                run.append(Point(x: axes.px(Double(i)), y: axes.py(Double(v))))
            }
            drawing.polyline(run, color: color, width: 2)
            let markerSize: Float = count > 40 ? 5 : 8
            for (i, v) in s.values.enumerated() where v.isFinite {
                drawing.marker(
                    Self.marker(index), at: Point(x: axes.px(Double(i)), y: axes.py(Double(v))), size: markerSize,
                    color: color)
            }
        }
        for reference in referenceLines where !reference.label.isEmpty {
            let y = axes.py(Double(reference.value))
            guard y >= Float(plotY), y <= Float(axes.plot.maxY) else { continue }
            let size = TextStyle.tick.size(of: reference.label)
            let box = Rect(
                x: axes.plot.maxX - 4 - size.width - 2, y: Int(y) - 3 - size.height, width: size.width + 4,
                height: size.height)
            drawing.fill(box, RGBA(255, 255, 255, 210))
            drawing.text(reference.label, x: box.x + 2, y: box.y, style: .tick)
        }
        var legendY = plotY + 4
        let legendX = axes.plot.maxX + 24
        for (index, s) in series.enumerated() {
            let color = Palette.color(index)
            let middle = Float(legendY) + Float(line) / 2
            drawing.line(
                from: Point(x: Float(legendX), y: middle), to: Point(x: Float(legendX + 20), y: middle), color: color,
                width: 2)
            drawing.marker(Self.marker(index), at: Point(x: Float(legendX + 10), y: middle), size: 8, color: color)
            drawing.text(s.name, x: legendX + 28, y: legendY)
            legendY += line + 6
        }
        marks?.drawLegend(on: &drawing, x: legendX + 4, y: legendY, shaded: true)
        return drawing
    }

    /// Draws the figure.
    public func render() throws -> Canvas { try Canvas(drawing()) }

    /// Renders the figure and writes it as an RGB PNG at `url`.
    public func write(to url: URL) throws {
        try render().write(to: url)
    }
}
