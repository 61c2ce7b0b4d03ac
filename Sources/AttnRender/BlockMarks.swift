/// Blocks singled out on a block axis, e.g. Gemma 3's global blocks among its sliding-window ones:
/// grids put a triangle above their columns, line charts shade their columns, and both add a
/// legend entry with ``label``.
public struct BlockMarks: Sendable, Hashable {
    /// The marked blocks (0-based).
    public var blocks: [Int]
    /// The legend entry, e.g. "global block (no sliding window)".
    public var label: String

    /// Marks on `blocks`, explained by `label`.
    public init(blocks: [Int], label: String) {
        self.blocks = blocks
        self.label = label
    }

    /// The ink of grid markers.
    static let markerColor = RGBA.black
    /// Side of a grid marker in pixels.
    static let markerSize: Float = 8
    /// The translucent fill of a shaded chart column.
    static let shade = RGBA(90, 90, 90, 40)

    /// Width of the legend entry: a 12-pixel symbol, a gap and the label.
    var legendWidth: Int { 12 + 6 + TextStyle.body.length(of: label) }

    /// Draws a grid marker centred above (`x`, `bottom`): a triangle whose base sits 2 px above `bottom`.
    static func drawMarker(on drawing: inout Drawing, x: Int, bottom: Int) {
        drawing.marker(
            .triangle, at: Point(x: Float(x) + 0.5, y: Float(bottom) - 2 - markerSize / 2), size: markerSize,
            color: markerColor)
    }

    /// Draws the legend entry with its box's top-left corner at (`x`, `y`), the symbol a grid marker
    /// (`shaded` false) or a shaded swatch.
    func drawLegend(on drawing: inout Drawing, x: Int, y: Int, shaded: Bool) {
        let line = TextStyle.body.lineHeight
        if shaded {
            drawing.fill(Rect(x: x, y: y + 1, width: 12, height: line - 2), Self.shade)
            drawing.stroke(Rect(x: x, y: y + 1, width: 12, height: line - 2), .lightGray)
        } else {
            Self.drawMarker(on: &drawing, x: x + 6, bottom: y + line - 1)
        }
        drawing.text(label, x: x + 18, y: y)
    }
}
