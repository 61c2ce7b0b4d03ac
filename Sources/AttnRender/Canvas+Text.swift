/// Where a text box sits relative to its anchor point.
public enum TextAlignment: Sendable {
    /// The anchor is the box's leading (left or top) edge.
    case leading
    /// The anchor is the box's centre.
    case center
    /// The anchor is the box's trailing (right or bottom) edge.
    case trailing
}

extension Canvas {
    /// Draws `text` in `style` so that its box is placed at (`x`, `y`) by the two alignments, and
    /// returns the box it occupies (clipped drawing; the box is not clipped).
    @discardableResult
    public mutating func text(
        _ text: String, x: Int, y: Int, style: TextStyle = .body,
        horizontal: TextAlignment = .leading, vertical: TextAlignment = .leading
    ) -> Rect {
        let box = style.box(of: text, x: x, y: y, horizontal: horizontal, vertical: vertical)
        self.text(text, in: box, style: style)
        return box
    }

    /// Draws `text` in `style` into `box` (as ``TextStyle/box(of:x:y:horizontal:vertical:)`` gave it).
    ///
    /// Horizontal text reads left to right with the cell's top at the box top; rotated text reads
    /// bottom to top with the first character at the box bottom.
    mutating func text(_ text: String, in box: Rect, style: TextStyle) {
        let font = BitmapFont.fixed6x13
        var offset = 0
        for character in text {
            let rows = font.rows(for: character)
            for (row, bits) in rows.enumerated() where bits != 0 {
                for column in 0..<8 where bits & (0x80 >> UInt8(column)) != 0 {
                    let strikes = style.bold ? 2 : 1
                    for strike in 0..<strikes {
                        plotGlyphPixel(
                            along: offset + (column + strike) * style.scale, across: row * style.scale,
                            box: box, style: style)
                    }
                }
            }
            offset += style.advance
        }
    }

    /// Fills one (scaled) font pixel at distance `along` the reading direction and `across` it.
    private mutating func plotGlyphPixel(along: Int, across: Int, box: Rect, style: TextStyle) {
        for dy in 0..<style.scale {
            for dx in 0..<style.scale {
                if style.rotated {
                    set(x: box.x + across + dy, y: box.maxY - 1 - (along + dx), style.color)
                } else {
                    set(x: box.x + along + dx, y: box.y + across + dy, style.color)
                }
            }
        }
    }
}
