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

    /// Draws the figure.
    public func render() -> Canvas {
        let factor = blockFactor
        let shown = map.blockMean(factor)
        let cell = max(1, min(28, maxMapSide / max(shown.rows, shown.cols)))
        let mapWidth = shown.cols * cell
        let mapHeight = shown.rows * cell
        let rowPitch = Float(mapHeight) / Float(map.rows)
        let columnPitch = Float(mapWidth) / Float(map.cols)
        let rows = LabelThinning.indices(count: rowLabels.count, pitch: rowPitch, thickness: TextStyle.tick.lineHeight - 2)
        let columns = LabelThinning.indices(
            count: columnLabels.count, pitch: columnPitch, thickness: TextStyle.tick.lineHeight - 2)
        let rowTexts = rows.map { TextStyle.truncated(rowLabels[$0], to: maxLabelCharacters) }
        let columnTexts = columns.map { TextStyle.truncated(columnLabels[$0], to: maxLabelCharacters) }
        let rowLabelWidth = rowTexts.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        let columnLabelHeight = columnTexts.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        let bar = ColorBar(colormap: colormap, scale: scale, caption: colorBarCaption)
        let line = TextStyle.body.lineHeight
        let margin = 16

        let mapX = margin + line + 8 + rowLabelWidth + 6
        let mapY = margin + line + 12
        let width = mapX + mapWidth + 20 + bar.width + margin
        let height = mapY + mapHeight + 6 + columnLabelHeight + 8 + line + margin
        var canvas = Canvas(width: max(width, margin * 2 + TextStyle.title.length(of: displayedTitle)), height: height)

        canvas.text(displayedTitle, x: mapX, y: margin, style: .title)
        canvas.heatmap(shown, x: mapX, y: mapY, cell: cell, colormap: colormap, scale: scale)
        canvas.stroke(Rect(x: mapX - 1, y: mapY - 1, width: mapWidth + 2, height: mapHeight + 2), .gray)
        for (index, text) in zip(rows, rowTexts) {
            let center = mapY + Int((Float(index) + 0.5) * rowPitch)
            canvas.fill(Rect(x: mapX - 4, y: center, width: 3, height: 1), .darkGray)
            canvas.text(text, x: mapX - 6, y: center + 1, style: .tick, horizontal: .trailing, vertical: .center)
        }
        for (index, text) in zip(columns, columnTexts) {
            let center = mapX + Int((Float(index) + 0.5) * columnPitch)
            canvas.fill(Rect(x: center, y: mapY + mapHeight + 1, width: 1, height: 3), .darkGray)
            canvas.text(text, x: center + 1, y: mapY + mapHeight + 6, style: .rotatedTick, horizontal: .center)
        }
        canvas.text(
            "key", x: mapX + mapWidth / 2, y: mapY + mapHeight + 6 + columnLabelHeight + 8, horizontal: .center)
        canvas.text(
            "query", x: margin, y: mapY + mapHeight / 2, style: TextStyle(rotated: true), vertical: .center)
        bar.draw(on: &canvas, x: mapX + mapWidth + 20, y: mapY, height: mapHeight)
        return canvas
    }

    /// Renders the figure and writes it as an RGB PNG at `url`.
    public func write(to url: URL) throws {
        try render().write(to: url)
    }
}
