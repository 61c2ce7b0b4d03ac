import Foundation

/// One per-head metric of several runs side by side (what `compare` draws): a panel per run with
/// blocks along x and heads down y, each panel with its own axes (block and head ticks) and marked blocks, at most
/// ``maxColumns`` panels to a row, and one colour bar that names the metric.
///
/// Panels are at least ``minPanelWidth`` pixels wide and the figure stays near 700 pixels, so
/// that printed 17 cm wide its 6 × 13 text is about 6 pt.
public struct AtlasComparisonFigure: Sendable {
    /// One run's atlas.
    public struct Panel: Sendable {
        /// The run's label, above the panel.
        public var title: String
        /// The values, `layers` rows × `heads` columns (row = block), as in `metrics.json`.
        public var values: Matrix
        /// Blocks marked above their columns (nil for none).
        public var marks: BlockMarks?

        /// A panel from its parts.
        public init(title: String, values: Matrix, marks: BlockMarks? = nil) {
            self.title = title
            self.values = values
            self.marks = marks
        }
    }

    /// The panels in reading order.
    public var panels: [Panel]
    /// Title line.
    public var title: String
    /// The metric, the colour bar's caption.
    public var metricName: String
    /// Colormap shared by every panel.
    public var colormap: Colormap
    /// Colour scale shared by every panel.
    public var scale: ColorScale

    /// The narrowest a panel's grid is drawn, in pixels.
    public static let minPanelWidth = 240
    /// Panels per row.
    public static let maxColumns = 2

    /// A figure of `panels` (at least one).
    public init(
        panels: [Panel], title: String, metricName: String, colormap: Colormap = .magma,
        scale: ColorScale = .linear(min: 0, max: 1)
    ) throws {
        guard !panels.isEmpty else { throw RenderError.invalidInput(what: "panels", reason: "no atlas to draw") }
        self.panels = panels
        self.title = title
        self.metricName = metricName
        self.colormap = colormap
        self.scale = scale
    }

    /// The cell size of `panel`: wide enough that its blocks fill at least ``minPanelWidth``, and tall
    /// enough that its heads fill about as much, within 12...24 pixels (every head keeps a legible
    /// tick label, and a few heads do not make a tower).
    static func cellSize(_ panel: Panel) -> (width: Int, height: Int) {
        let width = max(4, (minPanelWidth + panel.values.rows - 1) / panel.values.rows)
        return (width, max(12, min(24, minPanelWidth / panel.values.cols)))
    }

    /// The figure's description: what its PNG and its SVG both draw.
    public func drawing() throws -> Drawing {
        let line = TextStyle.body.lineHeight
        let margin = 16
        let columns = min(Self.maxColumns, panels.count)
        let rows = (panels.count + columns - 1) / columns
        let cells = panels.map(Self.cellSize)
        let headTickWidth = panels.map { TextStyle.tick.length(of: String($0.values.cols - 1)) }.max() ?? 0
        let gutter = line + 6 + headTickWidth + 6  // "head" title, tick labels, tick marks
        let gridWidths = zip(panels, cells).map { $0.values.rows * $1.width }
        let gridHeights = zip(panels, cells).map { $0.values.cols * $1.height }
        let slotWidth =
            gutter + max(gridWidths.max() ?? 0, panels.map { TextStyle.body.length(of: $0.title) }.max() ?? 0)
        let marked = panels.contains { !($0.marks?.blocks.isEmpty ?? true) }
        let above = line + 4 + (marked ? Int(BlockMarks.markerSize) + 4 : 0)  // panel title, markers
        let below = 4 + line + 4 + line + 10  // tick marks and labels, "block"
        // Each row of panels is as tall as its tallest grid.
        let rowHeights = (0..<rows).map { r in
            above + (gridHeights[(r * columns)..<min(panels.count, (r + 1) * columns)].max() ?? 0) + below
        }
        let rowTops = rowHeights.indices.map { r in rowHeights[..<r].reduce(0, +) }
        let legend = panels.compactMap(\.marks).first { !$0.blocks.isEmpty }
        let top = margin + line + 10 + (legend == nil ? 0 : line + 8)
        let bar = ColorBar(colormap: colormap, scale: scale, caption: metricName)
        let barX = margin + columns * slotWidth + (columns - 1) * 24 + 24
        let barHeight = max(120, min(360, rowHeights.reduce(0, +) - above - below))
        let width = max(
            barX + bar.width + margin, 2 * margin + TextStyle.title.length(of: title),
            margin + (legend?.legendWidth ?? 0) + margin)
        let height = max(top + rowHeights.reduce(0, +), top + above + barHeight + line) + margin
        var drawing = try Drawing(width: width, height: height)
        drawing.text(title, x: margin, y: margin, style: .title)
        legend?.drawLegend(on: &drawing, x: margin, y: margin + line + 6, shaded: false)

        for (index, panel) in panels.enumerated() {
            let slotX = margin + (index % columns) * (slotWidth + 24)
            let slotY = top + rowTops[index / columns]
            let (cellWidth, cellHeight) = cells[index], layers = panel.values.rows, heads = panel.values.cols
            let gridX = slotX + gutter, gridY = slotY + above
            drawing.text(
                TextStyle.truncated(panel.title, to: max(3, (slotWidth - gutter) / TextStyle.body.advance)), x: gridX,
                y: slotY)
            for l in 0..<layers {
                for h in 0..<heads {
                    let t = scale.normalized(panel.values[l, h])
                    drawing.fill(
                        Rect(x: gridX + l * cellWidth, y: gridY + h * cellHeight, width: cellWidth, height: cellHeight),
                        t.isNaN ? .masked : colormap.color(at: t))
                }
            }
            drawing.stroke(
                Rect(x: gridX - 1, y: gridY - 1, width: layers * cellWidth + 2, height: heads * cellHeight + 2), .gray)
            for block in panel.marks?.blocks ?? [] where (0..<layers).contains(block) {
                BlockMarks.drawMarker(on: &drawing, x: gridX + block * cellWidth + cellWidth / 2, bottom: gridY - 1)
            }
            let headStep = LabelThinning.step(pitch: Float(cellHeight), thickness: line - 2)
            for h in stride(from: 0, to: heads, by: headStep) {
                let center = gridY + h * cellHeight + cellHeight / 2
                drawing.fill(Rect(x: gridX - 4, y: center, width: 3, height: 1), .darkGray)
                drawing.text(String(h), x: gridX - 6, y: center, style: .tick, horizontal: .trailing, vertical: .center)
            }
            let blockStep = LabelThinning.step(
                pitch: Float(cellWidth), thickness: TextStyle.tick.length(of: String(layers - 1)), gap: 6)
            let gridBottom = gridY + heads * cellHeight
            for l in stride(from: 0, to: layers, by: blockStep) {
                let center = gridX + l * cellWidth + cellWidth / 2
                drawing.fill(Rect(x: center, y: gridBottom + 1, width: 1, height: 3), .darkGray)
                drawing.text(String(l), x: center + 1, y: gridBottom + 5, style: .tick, horizontal: .center)
            }
            drawing.text("block", x: gridX + layers * cellWidth / 2, y: gridBottom + 5 + line + 4, horizontal: .center)
            drawing.text(
                "head", x: slotX, y: gridY + heads * cellHeight / 2, style: TextStyle(rotated: true), vertical: .center)
        }
        bar.draw(on: &drawing, x: barX, y: top + above, height: barHeight)
        return drawing
    }

    /// Draws the figure.
    public func render() throws -> Canvas { try Canvas(drawing()) }
}
