import Foundation

/// A bar chart of a per-token profile of one layer (value norm, hidden norm): one bar per token,
/// token labels rotated under the axis (thinned to every k-th when they would overlap), y axis
/// linear or logarithmic (for massive first-token norms).
public struct BarChartFigure: Sendable {
    /// One value per token.
    public var values: [Float]
    /// One label per token (empty for indices).
    public var labels: [String]
    /// Title line.
    public var title: String
    /// Vertical axis title (the metric).
    public var yLabel: String
    /// Logarithmic vertical axis; non-positive values are then drawn as empty.
    public var logarithmic: Bool
    /// Bar colour.
    public var color: RGBA
    /// Labels longer than this many characters are shortened with "..".
    public var maxLabelCharacters: Int

    /// A chart of `values`; `labels` must be empty or one per value.
    public init(
        values: [Float], labels: [String] = [], title: String, yLabel: String, logarithmic: Bool = false,
        color: RGBA = Palette.color(0), maxLabelCharacters: Int = 16
    ) throws {
        guard !values.isEmpty else { throw RenderError.invalidInput(what: "values", reason: "no bars to draw") }
        guard labels.isEmpty || labels.count == values.count else {
            throw RenderError.invalidInput(what: "labels", reason: "\(labels.count) labels for \(values.count) bars")
        }
        self.values = values
        self.labels = labels.isEmpty ? values.indices.map(String.init) : labels
        self.title = title
        self.yLabel = yLabel
        self.logarithmic = logarithmic
        self.color = color
        self.maxLabelCharacters = max(3, maxLabelCharacters)
    }

    /// The figure's description: what its PNG and its SVG both draw.
    public func drawing() throws -> Drawing {
        let count = values.count
        let plotWidth = max(360, min(1000, count * 14))
        let plotHeight = 360
        var yAxis = ChartAxis.fitting(values.map(Double.init) + (logarithmic ? [] : [0]), logarithmic: logarithmic)
        if !logarithmic, (values.filter(\.isFinite).min() ?? 0) >= 0 { yAxis.low = 0 }
        let yTicks = yAxis.ticks(target: 6)
        let pitch = Float(plotWidth) / Float(count)
        let shownIndices = LabelThinning.indices(count: count, pitch: pitch, thickness: TextStyle.tick.lineHeight - 2)
        let texts = shownIndices.map { TextStyle.truncated(labels[$0], to: maxLabelCharacters) }
        let labelHeight = texts.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        let line = TextStyle.body.lineHeight
        let margin = 16
        let plotX = margin + line + 8 + ChartAxes.labelWidth(yTicks) + 8
        let plotY = margin + line + 16
        let axes = ChartAxes(
            plot: Rect(x: plotX, y: plotY, width: plotWidth, height: plotHeight),
            x: ChartAxis(low: 0, high: Double(count), logarithmic: false), y: yAxis)
        let width = max(plotX + plotWidth + margin * 2, 2 * margin + TextStyle.title.length(of: title))
        let height = plotY + plotHeight + 6 + labelHeight + 8 + line + margin
        var drawing = try Drawing(width: width, height: height)
        drawing.text(title, x: margin, y: margin, style: .title)
        axes.draw(on: &drawing, xTicks: [], yTicks: yTicks, xTitle: "", yTitle: yLabel, yTitleX: margin)

        let barWidth = max(1, Int((pitch * 0.8).rounded()))
        let base = axes.py(yAxis.low)
        for (i, v) in values.enumerated() where v.isFinite && (!logarithmic || v > 0) {
            let top = max(Float(plotY), min(base, axes.py(Double(v))))
            let x = Int((Float(plotX) + (Float(i) + 0.5) * pitch).rounded(.down)) - barWidth / 2
            drawing.fill(
                Rect(
                    x: x, y: Int(top.rounded()), width: barWidth,
                    height: max(1, Int(base.rounded()) - Int(top.rounded()))), color)
        }
        for (index, text) in zip(shownIndices, texts) {
            let center = Int((Float(plotX) + (Float(index) + 0.5) * pitch).rounded(.down))
            drawing.fill(Rect(x: center, y: axes.plot.maxY + 1, width: 1, height: 3), .darkGray)
            drawing.text(text, x: center + 1, y: axes.plot.maxY + 6, style: .rotatedTick, horizontal: .center)
        }
        drawing.text("token", x: plotX + plotWidth / 2, y: axes.plot.maxY + 6 + labelHeight + 8, horizontal: .center)
        return drawing
    }

    /// Draws the figure.
    public func render() throws -> Canvas { try Canvas(drawing()) }

    /// Renders the figure and writes it as an RGB PNG at `url`.
    public func write(to url: URL) throws {
        try render().write(to: url)
    }
}
