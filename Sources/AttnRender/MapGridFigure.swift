import Foundation

/// Many small attention maps on one shared colour scale, laid out in a grid: all heads of one
/// layer (``heads(of:numbers:layer:title:)``) or a layers × heads atlas (``atlas(_:title:)``). Each panel is
/// block-averaged to fit `panelSide` pixels when needed, and the title says so.
public struct MapGridFigure: Sendable {
    /// The maps in reading order (left to right, then top to bottom).
    public var panels: [Matrix]
    /// Panels per grid row.
    public var columns: Int
    /// Caption above each panel (empty for none), one per panel.
    public var panelTitles: [String]
    /// Label left of each grid row (empty for none).
    public var rowLabels: [String]
    /// Label above each grid column (empty for none).
    public var columnLabels: [String]
    /// Title line.
    public var title: String
    /// Colormap shared by every panel.
    public var colormap: Colormap
    /// Colour scale shared by every panel.
    public var scale: ColorScale
    /// Side of one panel in pixels.
    public var panelSide: Int
    /// Caption of the shared colour bar.
    public var colorBarCaption: String
    /// Title under the grid, for the panels' horizontal axis (empty for none).
    public var xTitle: String
    /// Rotated title left of the grid, for the panels' vertical axis (empty for none).
    public var yTitle: String

    /// A grid of `panels`, `columns` to a row; label arrays must be empty or match the grid.
    public init(
        panels: [Matrix], columns: Int, title: String, panelTitles: [String] = [], rowLabels: [String] = [],
        columnLabels: [String] = [], colormap: Colormap = .viridis, scale: ColorScale? = nil, panelSide: Int = 160,
        colorBarCaption: String = "attention weight", xTitle: String = "", yTitle: String = ""
    ) throws {
        guard !panels.isEmpty, columns > 0 else {
            throw RenderError.invalidInput(what: "panels", reason: "\(panels.count) panels in \(columns) columns")
        }
        let gridRows = (panels.count + columns - 1) / columns
        guard panelTitles.isEmpty || panelTitles.count == panels.count else {
            throw RenderError.invalidInput(
                what: "panelTitles", reason: "\(panelTitles.count) for \(panels.count) panels")
        }
        guard rowLabels.isEmpty || rowLabels.count == gridRows else {
            throw RenderError.invalidInput(what: "rowLabels", reason: "\(rowLabels.count) for \(gridRows) grid rows")
        }
        guard columnLabels.isEmpty || columnLabels.count == min(columns, panels.count) else {
            throw RenderError.invalidInput(what: "columnLabels", reason: "\(columnLabels.count) for \(columns) columns")
        }
        self.panels = panels
        self.columns = min(columns, panels.count)
        self.title = title
        self.panelTitles = panelTitles
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.colormap = colormap
        let largest = panels.compactMap { $0.finiteRange?.max }.max() ?? 1
        self.scale =
            scale ?? .log(floor: ColorScale.defaultLogFloor, max: max(largest, ColorScale.defaultLogFloor * 10))
        self.panelSide = max(8, panelSide)
        self.colorBarCaption = colorBarCaption
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// Heads of one layer: `maps` holds one map per head (numbered `numbers`, by default 0, 1, …),
    /// laid out in a near-square grid, with the query (rows) and key (columns) axes named.
    public static func heads(
        of maps: [Matrix], numbers: [Int]? = nil, layer: Int, title: String? = nil
    ) throws -> MapGridFigure {
        let columns = max(1, Int(Double(maps.count).squareRoot().rounded(.up)))
        let tokens = maps.map { max($0.rows, $0.cols) }.max() ?? 1
        return try MapGridFigure(
            panels: maps, columns: columns, title: title ?? "Layer \(layer): attention of every head",
            panelTitles: (numbers ?? Array(maps.indices)).map { "head \($0)" }, panelSide: 180,
            xTitle: "key position 0-\(tokens - 1) (each panel)", yTitle: "query position 0-\(tokens - 1)")
    }

    /// The atlas: `maps[l][h]` is layer `l`, head `h`; one grid row per layer, one column per head,
    /// panels sized so the whole atlas stays near 1200 pixels on its longer side.
    public static func atlas(
        _ maps: [[Matrix]], title: String = "Attention atlas (layers × heads)"
    ) throws -> MapGridFigure {
        let heads = maps.map(\.count).max() ?? 0
        guard heads > 0, maps.allSatisfy({ $0.count == heads }) else {
            throw RenderError.invalidInput(
                what: "maps", reason: "every layer needs the same number of heads (\(maps.map(\.count)))")
        }
        let side = max(16, min(96, 1200 / max(maps.count, heads) - 4))
        return try MapGridFigure(
            panels: maps.flatMap { $0 }, columns: heads, title: title,
            rowLabels: maps.indices.map { "L\($0)" }, columnLabels: (0..<heads).map { "H\($0)" }, panelSide: side)
    }

    /// The block size used for panels of `size` tokens: panels may grow up to 30% beyond
    /// `panelSide` rather than be averaged.
    private func factor(for size: Int) -> Int {
        max(1, Int((Float(size) / (Float(panelSide) * 1.3)).rounded(.up)))
    }

    /// The panel after block-averaging and its cell size in pixels.
    private func shown(_ panel: Matrix) -> (matrix: Matrix, cell: Int) {
        let matrix = panel.blockMean(factor(for: max(panel.rows, panel.cols)))
        return (matrix, max(1, panelSide / max(matrix.rows, matrix.cols)))
    }

    /// The title as drawn, with the downsampling note when panels are block-averaged.
    public var displayedTitle: String {
        let largest = panels.map { max($0.rows, $0.cols) }.max() ?? 1
        let k = factor(for: largest)
        return k > 1 ? "\(title) (T=\(largest), \(k)×\(k) block mean)" : title
    }

    /// The figure's description: what its PNG and its SVG both draw.
    public func drawing() throws -> Drawing {
        let gridRows = (panels.count + columns - 1) / columns
        let side =
            panels.map {
                let s = shown($0); return max(s.matrix.rows, s.matrix.cols) * s.cell
            }.max() ?? panelSide
        let gap = side >= 64 ? 10 : 4
        let line = TextStyle.body.lineHeight
        let margin = 16
        let captionHeight = panelTitles.isEmpty ? 0 : line + 2
        let rowLabelWidth = rowLabels.map { TextStyle.tick.length(of: $0) }.max().map { $0 + 8 } ?? 0
        let yTitleWidth = yTitle.isEmpty ? 0 : line + 8
        let gridX = margin + yTitleWidth + rowLabelWidth
        let gridY = margin + line + 12 + (columnLabels.isEmpty ? 0 : line + 4)
        let pitchX = side + gap
        let pitchY = side + gap + captionHeight
        let gridWidth = columns * pitchX - gap
        let gridHeight = gridRows * pitchY - gap
        let bar = ColorBar(colormap: colormap, scale: scale, caption: colorBarCaption)
        let barHeight = max(120, min(gridHeight, 360))
        let xTitleHeight = xTitle.isEmpty ? 0 : line + 8
        let width = max(
            gridX + gridWidth + 24 + bar.width + margin, 2 * margin + TextStyle.title.length(of: displayedTitle),
            gridX + TextStyle.body.length(of: xTitle) + margin)
        var drawing = try Drawing(width: width, height: gridY + max(gridHeight + xTitleHeight, barHeight) + margin)
        drawing.text(displayedTitle, x: margin, y: margin, style: .title)
        if !xTitle.isEmpty {
            let centered = gridX + gridWidth / 2 - TextStyle.body.length(of: xTitle) / 2
            drawing.text(xTitle, x: max(gridX, centered), y: gridY + gridHeight + 8)
        }
        if !yTitle.isEmpty {
            drawing.text(
                yTitle, x: margin, y: gridY + gridHeight / 2, style: TextStyle(rotated: true), vertical: .center)
        }

        let labelStep = LabelThinning.step(
            pitch: Float(pitchX), thickness: columnLabels.map { TextStyle.tick.length(of: $0) }.max() ?? 0, gap: 4)
        for (column, label) in columnLabels.enumerated() where column % labelStep == 0 {
            drawing.text(
                label, x: gridX + column * pitchX + side / 2, y: gridY - line - 4, style: .tick, horizontal: .center)
        }
        let rowStep = LabelThinning.step(pitch: Float(pitchY), thickness: line, gap: 2)
        for (row, label) in rowLabels.enumerated() where row % rowStep == 0 {
            drawing.text(
                label, x: gridX - 8, y: gridY + row * pitchY + captionHeight + side / 2,
                style: .tick, horizontal: .trailing, vertical: .center)
        }
        for (index, panel) in panels.enumerated() {
            let x = gridX + (index % columns) * pitchX
            let y = gridY + (index / columns) * pitchY
            if !panelTitles.isEmpty {
                drawing.text(
                    TextStyle.truncated(panelTitles[index], to: side / TextStyle.tick.advance),
                    x: x + side / 2, y: y, style: .tick, horizontal: .center)
            }
            let (shown, cell) = shown(panel)
            let drawnX = x + (side - shown.cols * cell) / 2
            let drawnY = y + captionHeight + (side - shown.rows * cell) / 2
            drawing.heatmap(shown, x: drawnX, y: drawnY, cell: cell, colormap: colormap, scale: scale)
            drawing.stroke(
                Rect(x: drawnX - 1, y: drawnY - 1, width: shown.cols * cell + 2, height: shown.rows * cell + 2),
                .lightGray)
        }
        bar.draw(on: &drawing, x: gridX + gridWidth + 24, y: gridY + captionHeight, height: barHeight)
        return drawing
    }

    /// Draws the figure.
    public func render() throws -> Canvas { try Canvas(drawing()) }

    /// Renders the figure and writes it as an RGB PNG at `url`.
    public func write(to url: URL) throws {
        try render().write(to: url)
    }
}
