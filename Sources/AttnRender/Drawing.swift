/// A figure's description: its size and the drawing commands in painting order, on a white
/// background. Figures build one; ``Canvas/init(_:)`` rasterizes it for the PNG and ``svg``
/// writes it as SVG, so the two files cannot drift apart.
public struct Drawing: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// What is drawn, first to last.
    public private(set) var commands: [DrawCommand] = []

    /// An empty drawing of the given size; negative sizes are empty; more than
    /// ``Canvas/maxPixels`` pixels is refused, as a canvas of that size would be.
    public init(width: Int, height: Int) throws {
        (self.width, self.height) = try Canvas.checkedSize(width: width, height: height)
    }

    /// Every text run in drawing order: the figure's labels.
    public var texts: [String] {
        commands.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }
    }

    /// Fills `rect` with `color`.
    public mutating func fill(_ rect: Rect, _ color: RGBA) { commands.append(.fill(rect, color)) }

    /// Outlines `rect` with lines `thickness` pixels wide, inside the rectangle.
    public mutating func stroke(_ rect: Rect, _ color: RGBA, thickness: Int = 1) {
        commands.append(.stroke(rect, color, thickness: thickness))
    }

    /// Draws a line of `width` pixels with round ends from `start` to `end`.
    public mutating func line(from start: Point, to end: Point, color: RGBA, width: Float = 1) {
        commands.append(.line(from: start, to: end, color: color, width: width))
    }

    /// Draws a dashed line: `dash` pixels drawn, `gap` pixels skipped, starting with a dash.
    public mutating func dashedLine(
        from start: Point, to end: Point, color: RGBA, width: Float = 1, dash: Float = 6, gap: Float = 4
    ) {
        commands.append(.dashedLine(from: start, to: end, color: color, width: width, dash: dash, gap: gap))
    }

    /// Draws connected segments through `points`.
    public mutating func polyline(_ points: [Point], color: RGBA, width: Float = 1) {
        commands.append(.polyline(points, color, width: width))
    }

    /// Draws a filled marker of `shape` centred on `center`, `size` pixels across.
    public mutating func marker(_ shape: MarkerShape, at center: Point, size: Float, color: RGBA) {
        commands.append(.marker(shape, at: center, size: size, color: color))
    }

    /// Fills the band between two curves sampled at the same increasing x positions.
    public mutating func fillBand(upper: [Point], lower: [Point], color: RGBA) {
        commands.append(.band(upper: upper, lower: lower, color: color))
    }

    /// Draws `text` in `style` with its box placed at (`x`, `y`) by the two alignments, and
    /// returns that box.
    @discardableResult
    public mutating func text(
        _ text: String, x: Int, y: Int, style: TextStyle = .body,
        horizontal: TextAlignment = .leading, vertical: TextAlignment = .leading
    ) -> Rect {
        let box = style.box(of: text, x: x, y: y, horizontal: horizontal, vertical: vertical)
        commands.append(.text(text, box: box, style: style))
        return box
    }

    /// Paints `matrix` with its top-left cell at (`x`, `y`), each entry a `cell` × `cell` square
    /// coloured by `colormap` at `scale.normalized(value)`; NaN entries (masked keys, undefined values)
    /// are ``RGBA/masked``.
    public mutating func heatmap(_ matrix: Matrix, x: Int, y: Int, cell: Int, colormap: Colormap, scale: ColorScale) {
        commands.append(.heatmap(matrix, x: x, y: y, cell: cell, colormap: colormap, scale: scale))
    }
}
