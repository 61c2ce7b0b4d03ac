import Foundation

/// The sink atlas: one scalar per (layer, head) — first-token importance, normalized entropy —
/// drawn as a grid with layers along the x axis and heads down the y axis, a colour bar, axis
/// labels, and the value printed in each cell when cells are large enough.
public struct ScalarGridFigure: Sendable {
    /// The values, `layers` rows × `heads` columns (row = layer), as in `metrics.json`.
    public var values: Matrix
    /// Title line.
    public var title: String
    /// Caption of the colour bar (the metric's name).
    public var metricName: String
    /// Colormap (viridis by default).
    public var colormap: Colormap
    /// Colour scale (linear 0...1 by default, the range of both sink-atlas metrics).
    public var scale: ColorScale
    /// Side of one cell in pixels.
    public var cellSize: Int
    /// Blocks marked above their columns, with a legend entry (nil for none).
    public var marks: BlockMarks?
    /// When set, each value is a category's index (NaN: none), drawn in its colour with this
    /// legend in place of the colour bar, and no value is printed.
    public var categories: CategoryLegend?

    /// A grid of `values` (layers × heads).
    public init(
        values: Matrix, title: String, metricName: String, colormap: Colormap = .viridis,
        scale: ColorScale = .linear(min: 0, max: 1), cellSize: Int? = nil, marks: BlockMarks? = nil
    ) {
        self.values = values
        self.title = title
        self.metricName = metricName
        self.colormap = colormap
        self.scale = scale
        categories = nil
        self.cellSize = max(4, cellSize ?? min(40, max(12, 1000 / max(values.rows, values.cols))))
        self.marks = marks.flatMap { $0.blocks.isEmpty ? nil : $0 }
    }

    /// The figure's description: what its PNG and its SVG both draw.
    public func drawing() throws -> Drawing {
        let layers = values.rows
        let heads = values.cols
        let line = TextStyle.body.lineHeight
        let margin = 16
        let headLabels = (0..<heads).map(String.init)
        let headLabelWidth = headLabels.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        let gridX = margin + line + 8 + headLabelWidth + 6
        let gridY = margin + line + 12 + (marks == nil ? 0 : line + 6 + Int(BlockMarks.markerSize) + 4)
        let gridWidth = layers * cellSize
        let gridHeight = heads * cellSize
        let bar = ColorBar(colormap: colormap, scale: scale, caption: metricName)
        let barHeight = max(gridHeight, categories?.height ?? 120)
        let width = max(
            gridX + gridWidth + 20 + (categories?.width ?? bar.width) + margin,
            2 * margin + TextStyle.title.length(of: title),
            gridX + (marks?.legendWidth ?? 0) + margin)
        let height = gridY + max(gridHeight, barHeight) + 6 + line + 6 + line + margin
        var drawing = try Drawing(width: width, height: height)
        drawing.text(title, x: margin, y: margin, style: .title)
        if let marks {
            marks.drawLegend(on: &drawing, x: gridX, y: margin + line + 8, shaded: false)
            for block in marks.blocks where (0..<layers).contains(block) {
                BlockMarks.drawMarker(on: &drawing, x: gridX + block * cellSize + cellSize / 2, bottom: gridY - 1)
            }
        }

        var transposed = [Float](repeating: 0, count: layers * heads)
        for l in 0..<layers { for h in 0..<heads { transposed[h * layers + l] = values[l, h] } }
        let grid = Matrix(unchecked: heads, layers, transposed)
        drawing.heatmap(grid, x: gridX, y: gridY, cell: cellSize, colormap: colormap, scale: scale)
        drawing.stroke(Rect(x: gridX - 1, y: gridY - 1, width: gridWidth + 2, height: gridHeight + 2), .gray)
        let valueWidth = TextStyle.tick.length(of: "0.00")
        if categories == nil, cellSize >= valueWidth + 4 {
            for h in 0..<heads {
                for l in 0..<layers where values[l, h].isFinite {
                    let color = colormap.color(at: scale.normalized(values[l, h]))
                    let luminance = 0.2126 * Float(color.r) + 0.7152 * Float(color.g) + 0.0722 * Float(color.b)
                    let ink = luminance > 140 ? RGBA.black : RGBA.white
                    drawing.text(
                        String(format: "%.2f", values[l, h]), x: gridX + l * cellSize + cellSize / 2,
                        y: gridY + h * cellSize + cellSize / 2, style: TextStyle(color: ink), horizontal: .center,
                        vertical: .center)
                }
            }
        }
        let headStep = LabelThinning.step(pitch: Float(cellSize), thickness: line - 2)
        for h in stride(from: 0, to: heads, by: headStep) {
            let center = gridY + h * cellSize + cellSize / 2
            drawing.fill(Rect(x: gridX - 4, y: center, width: 3, height: 1), .darkGray)
            drawing.text(headLabels[h], x: gridX - 6, y: center, style: .tick, horizontal: .trailing, vertical: .center)
        }
        let layerStep = LabelThinning.step(
            pitch: Float(cellSize), thickness: TextStyle.tick.length(of: String(layers - 1)), gap: 6)
        for l in stride(from: 0, to: layers, by: layerStep) {
            let center = gridX + l * cellSize + cellSize / 2
            drawing.fill(Rect(x: center, y: gridY + gridHeight + 1, width: 1, height: 3), .darkGray)
            drawing.text(String(l), x: center + 1, y: gridY + gridHeight + 6, style: .tick, horizontal: .center)
        }
        drawing.text("layer", x: gridX + gridWidth / 2, y: gridY + gridHeight + 6 + line + 6, horizontal: .center)
        drawing.text("head", x: margin, y: gridY + gridHeight / 2, style: TextStyle(rotated: true), vertical: .center)
        if let categories {
            categories.draw(on: &drawing, x: gridX + gridWidth + 20, y: gridY)
        } else {
            bar.draw(on: &drawing, x: gridX + gridWidth + 20, y: gridY, height: barHeight)
        }
        return drawing
    }

    /// A grid of categories: `values[l, h]` is the index of a `legend` entry (NaN for none).
    public init(
        categories values: Matrix, legend: CategoryLegend, title: String, cellSize: Int? = nil, marks: BlockMarks? = nil
    ) {
        self.init(
            values: values, title: title, metricName: "", colormap: legend.colormap, scale: legend.scale,
            cellSize: cellSize, marks: marks)
        categories = legend
    }

    /// Draws the figure.
    public func render() throws -> Canvas { try Canvas(drawing()) }

    /// Renders the figure and writes it as an RGB PNG at `url`.
    public func write(to url: URL) throws {
        try render().write(to: url)
    }
}
