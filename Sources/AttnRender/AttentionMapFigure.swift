import Foundation

/// One attention map (rows = queries, columns = keys) with token labels on both axes, a title and
/// a colour bar. Maps wider than `maxMapSide` pixels are block-averaged to fit, and the title
/// says so; nothing is cropped. Labels are thinned to every k-th token when they would overlap.
public struct AttentionMapFigure: Sendable {
    /// The map, `rows` queries × `cols` keys.
    public var map: Matrix
    /// One label per query (y axis, top to bottom); empty for none.
    public var rowLabels: [String]
    /// One label per key (x axis, left to right, drawn rotated); empty for none.
    public var columnLabels: [String]
    /// Title line above the map.
    public var title: String
    /// Colormap (viridis by default).
    public var colormap: Colormap
    /// Colour scale (log from 1e-4 to the map's maximum by default).
    public var scale: ColorScale
    /// Caption of the colour bar.
    public var colorBarCaption: String
    /// Largest side of the drawn map in pixels.
    public var maxMapSide: Int
    /// Labels longer than this many characters are shortened with "..".
    public var maxLabelCharacters: Int

    /// A figure of `map`; labels must be empty or one per row / column.
    public init(
        map: Matrix, rowLabels: [String] = [], columnLabels: [String] = [], title: String,
        colormap: Colormap = .viridis, scale: ColorScale? = nil, colorBarCaption: String = "attention weight",
        maxMapSide: Int = 896, maxLabelCharacters: Int = 16
    ) throws {
        guard rowLabels.isEmpty || rowLabels.count == map.rows else {
            throw RenderError.invalidInput(what: "rowLabels", reason: "\(rowLabels.count) labels for \(map.rows) rows")
        }
        guard columnLabels.isEmpty || columnLabels.count == map.cols else {
            throw RenderError.invalidInput(
                what: "columnLabels", reason: "\(columnLabels.count) labels for \(map.cols) columns")
        }
        self.map = map
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.title = title
        self.colormap = colormap
        self.scale = scale ?? .log(fitting: map)
        self.colorBarCaption = colorBarCaption
        self.maxMapSide = max(16, maxMapSide)
        self.maxLabelCharacters = max(3, maxLabelCharacters)
    }

    /// The block size used to fit the map into `maxMapSide` (1 when it fits as is).
    public var blockFactor: Int { max(1, (max(map.rows, map.cols) + maxMapSide - 1) / maxMapSide) }

    /// The title as drawn, with the downsampling note when the map is block-averaged.
    public var displayedTitle: String {
        let factor = blockFactor
        guard factor > 1 else { return title }
        let size = map.rows == map.cols ? "T=\(map.rows)" : "\(map.rows)×\(map.cols)"
        return "\(title) (\(size), \(factor)×\(factor) block mean)"
    }

    /// Where everything goes: the averaged map, its cell size and rectangle, the labelled token
    /// indices and their (shortened) texts, and the canvas size.
    struct Layout {
        var shown: Matrix
        var cell: Int
        var mapRect: Rect
        var rowPitch: Float
        var columnPitch: Float
        var rows: [Int]
        var rowTexts: [String]
        var columns: [Int]
        var columnTexts: [String]
        var columnLabelHeight: Int
        var canvasWidth: Int
        var canvasHeight: Int
    }

    /// Computes the layout: the map fits `maxMapSide`, labels are thinned to never overlap.
    func layout() -> Layout {
        let shown = map.blockMean(blockFactor)
        let cell = max(1, min(28, maxMapSide / max(shown.rows, shown.cols)))
        let mapWidth = shown.cols * cell
        let mapHeight = shown.rows * cell
        let rowPitch = Float(mapHeight) / Float(map.rows)
        let columnPitch = Float(mapWidth) / Float(map.cols)
        let thickness = TextStyle.tick.lineHeight - 2
        let rows = LabelThinning.indices(count: rowLabels.count, pitch: rowPitch, thickness: thickness)
        let columns = LabelThinning.indices(count: columnLabels.count, pitch: columnPitch, thickness: thickness)
        let rowTexts = rows.map { TextStyle.truncated(rowLabels[$0], to: maxLabelCharacters) }
        let columnTexts = columns.map { TextStyle.truncated(columnLabels[$0], to: maxLabelCharacters) }
        let rowLabelWidth = rowTexts.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        let columnLabelHeight = columnTexts.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        let bar = ColorBar(colormap: colormap, scale: scale, caption: colorBarCaption)
        let line = TextStyle.body.lineHeight
        let margin = 16
        let mapRect = Rect(
            x: margin + line + 8 + rowLabelWidth + 6, y: margin + line + 12, width: mapWidth, height: mapHeight)
        let width = max(
            // the title starts at the map's left edge
            mapRect.maxX + 20 + bar.width + margin, mapRect.x + TextStyle.title.length(of: displayedTitle) + margin)
        let height = mapRect.maxY + 6 + columnLabelHeight + 8 + line + margin
        return Layout(
            shown: shown, cell: cell, mapRect: mapRect, rowPitch: rowPitch, columnPitch: columnPitch, rows: rows,
            rowTexts: rowTexts, columns: columns, columnTexts: columnTexts, columnLabelHeight: columnLabelHeight,
            canvasWidth: width, canvasHeight: height)
    }

    /// The figure's description: what its PNG and its SVG both draw.
    public func drawing() throws -> Drawing {
        let layout = layout()
        let map = layout.mapRect
        let margin = 16
        var drawing = try Drawing(width: layout.canvasWidth, height: layout.canvasHeight)
        drawing.text(displayedTitle, x: map.x, y: margin, style: .title)
        drawing.heatmap(layout.shown, x: map.x, y: map.y, cell: layout.cell, colormap: colormap, scale: scale)
        drawing.stroke(Rect(x: map.x - 1, y: map.y - 1, width: map.width + 2, height: map.height + 2), .gray)
        for (index, text) in zip(layout.rows, layout.rowTexts) {
            let center = map.y + Int((Float(index) + 0.5) * layout.rowPitch)
            drawing.fill(Rect(x: map.x - 4, y: center, width: 3, height: 1), .darkGray)
            drawing.text(text, x: map.x - 6, y: center + 1, style: .tick, horizontal: .trailing, vertical: .center)
        }
        for (index, text) in zip(layout.columns, layout.columnTexts) {
            let center = map.x + Int((Float(index) + 0.5) * layout.columnPitch)
            drawing.fill(Rect(x: center, y: map.maxY + 1, width: 1, height: 3), .darkGray)
            drawing.text(text, x: center + 1, y: map.maxY + 6, style: .rotatedTick, horizontal: .center)
        }
        drawing.text(
            "key", x: map.x + map.width / 2, y: map.maxY + 6 + layout.columnLabelHeight + 8, horizontal: .center)
        drawing.text("query", x: margin, y: map.y + map.height / 2, style: TextStyle(rotated: true), vertical: .center)
        ColorBar(colormap: colormap, scale: scale, caption: colorBarCaption)
            .draw(on: &drawing, x: map.maxX + 20, y: map.y, height: map.height)
        return drawing
    }

    /// Draws the figure.
    public func render() throws -> Canvas { try Canvas(drawing()) }

    /// Renders the figure and writes it as an RGB PNG at `url`.
    public func write(to url: URL) throws {
        try render().write(to: url)
    }
}
