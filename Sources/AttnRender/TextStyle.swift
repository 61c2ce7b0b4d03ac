/// How a run of text is drawn: colour, integer pixel scale, bold (double-struck) or not, and
/// whether it is rotated 90° counter-clockwise so that it reads from bottom to top.
public struct TextStyle: Sendable, Hashable {
    /// Ink colour.
    public var color: RGBA
    /// Integer magnification of the 6×13 font (1 or 2 in practice).
    public var scale: Int
    /// Draws each glyph twice, one pixel apart, and widens the advance by one pixel.
    public var bold: Bool
    /// Rotates the text 90° counter-clockwise (reads bottom to top), for x-axis token labels.
    public var rotated: Bool

    /// A style; the defaults give black, 1×, regular, horizontal text.
    public init(color: RGBA = .black, scale: Int = 1, bold: Bool = false, rotated: Bool = false) {
        self.color = color
        self.scale = max(1, scale)
        self.bold = bold
        self.rotated = rotated
    }

    /// Body text: axis labels, legend entries.
    public static let body = TextStyle()
    /// Secondary text: tick values and token labels.
    public static let tick = TextStyle(color: .darkGray)
    /// Figure titles.
    public static let title = TextStyle(bold: true)
    /// Rotated token labels under a map.
    public static let rotatedTick = TextStyle(color: .darkGray, rotated: true)

    /// Advance of one character in pixels along the reading direction.
    public var advance: Int { (BitmapFont.fixed6x13.advance + (bold ? 1 : 0)) * scale }

    /// Thickness of a line of text across the reading direction, in pixels.
    public var lineHeight: Int { BitmapFont.fixed6x13.cellHeight * scale }

    /// Length of `text` along the reading direction, in pixels (one advance per character).
    public func length(of text: String) -> Int { text.count * advance }

    /// The on-canvas size of `text`: (width, height), swapped when rotated.
    public func size(of text: String) -> (width: Int, height: Int) {
        rotated ? (lineHeight, length(of: text)) : (length(of: text), lineHeight)
    }

    /// The box `text` occupies when placed at (`x`, `y`) by the two alignments.
    public func box(of text: String, x: Int, y: Int, horizontal: TextAlignment, vertical: TextAlignment) -> Rect {
        func aligned(_ anchor: Int, _ length: Int, _ alignment: TextAlignment) -> Int {
            switch alignment {
            case .leading: anchor
            case .center: anchor - length / 2
            case .trailing: anchor - length
            }
        }
        let size = size(of: text)
        return Rect(
            x: aligned(x, size.width, horizontal), y: aligned(y, size.height, vertical), width: size.width,
            height: size.height)
    }

    /// `text` shortened to at most `maxCharacters`, ending in ".." when cut.
    public static func truncated(_ text: String, to maxCharacters: Int) -> String {
        guard text.count > maxCharacters else { return text }
        guard maxCharacters > 2 else { return String(text.prefix(max(0, maxCharacters))) }
        return String(text.prefix(maxCharacters - 2)) + ".."
    }
}
