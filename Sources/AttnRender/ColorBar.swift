/// A vertical colour bar: the colormap from the scale's low end (bottom) to its high end (top),
/// tick marks with values on its right, and an optional rotated caption beyond them.
public struct ColorBar: Sendable {
    /// The colormap shown.
    public var colormap: Colormap
    /// The scale whose ticks are labelled.
    public var scale: ColorScale
    /// Rotated caption to the right of the tick labels (empty for none).
    public var caption: String

    /// Width of the coloured strip, in pixels.
    public static let stripWidth = 14

    /// A colour bar for `colormap` under `scale`.
    public init(colormap: Colormap, scale: ColorScale, caption: String = "") {
        self.colormap = colormap
        self.scale = scale
        self.caption = caption
    }

    /// Total width in pixels: strip, tick marks, the widest tick label and the caption.
    public var width: Int {
        let labels = scale.ticks().map(\.label)
        let widest = labels.map { TextStyle.tick.length(of: $0) }.max() ?? 0
        return Self.stripWidth + 4 + 3 + widest + (caption.isEmpty ? 0 : 8 + TextStyle.body.lineHeight)
    }

    /// Draws the bar with its strip occupying `height` rows from (`x`, `y`) downwards.
    public func draw(on drawing: inout Drawing, x: Int, y: Int, height: Int) {
        guard height > 1 else { return }
        for row in 0..<height {
            let t = 1 - Float(row) / Float(height - 1)
            drawing.fill(Rect(x: x, y: y + row, width: Self.stripWidth, height: 1), colormap.color(at: t))
        }
        drawing.stroke(Rect(x: x, y: y, width: Self.stripWidth, height: height), .gray)
        var lastLabelTop = Int.max
        for tick in scale.ticks() {
            let t = scale.normalized(tick.value)
            let row = y + Int(((1 - t) * Float(height - 1)).rounded())
            drawing.fill(Rect(x: x + Self.stripWidth, y: row, width: 4, height: 1), .darkGray)
            let half = TextStyle.tick.lineHeight / 2
            // Ticks come bottom-up; skip a label that would overlap the one below it.
            guard row + half <= lastLabelTop else { continue }
            let box = drawing.text(
                tick.label, x: x + Self.stripWidth + 7, y: row - half + 1, style: .tick)
            lastLabelTop = box.y
        }
        if !caption.isEmpty {
            let labels = scale.ticks().map { TextStyle.tick.length(of: $0.label) }
            let captionX = x + Self.stripWidth + 7 + (labels.max() ?? 0) + 8
            drawing.text(
                caption, x: captionX, y: y + height / 2, style: TextStyle(rotated: true), vertical: .center)
        }
    }
}
