/// A legend of named colours, one swatch and name per line, drawn where a colour bar would be:
/// the key of a grid whose cells are categories (the head-role atlas) rather than values.
public struct CategoryLegend: Sendable {
    /// One category: its name and the colour of its cells.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var color: RGBA

        public init(name: String, color: RGBA) {
            self.name = name
            self.color = color
        }
    }

    public var entries: [Entry]

    /// Side of a swatch, in pixels.
    static let swatch = 12

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The colormap that gives category `k` of `n` at value `k` under ``scale``.
    public var colormap: Colormap {
        let n = max(entries.count, 1)
        var table: [UInt8] = []
        for e in 0..<256 {
            let color = entries.isEmpty ? RGBA.white : entries[Int((Float(e) / 255 * Float(n - 1)).rounded())].color
            table += [color.r, color.g, color.b]
        }
        return Colormap(name: "categories", table: table)
    }

    /// The scale that maps category index `k` to the colormap's `k`-th colour.
    public var scale: ColorScale { .linear(min: 0, max: Float(max(entries.count - 1, 1))) }

    /// Width in pixels: swatch, gap and the longest name.
    public var width: Int { Self.swatch + 6 + (entries.map { TextStyle.tick.length(of: $0.name) }.max() ?? 0) }

    /// Height in pixels: one line per entry.
    public var height: Int { entries.count * (TextStyle.body.lineHeight + 2) }

    /// Draws the legend from (`x`, `y`) downwards.
    public func draw(on drawing: inout Drawing, x: Int, y: Int) {
        let pitch = TextStyle.body.lineHeight + 2
        for (k, entry) in entries.enumerated() {
            let top = y + k * pitch
            drawing.fill(Rect(x: x, y: top, width: Self.swatch, height: Self.swatch), entry.color)
            drawing.stroke(Rect(x: x, y: top, width: Self.swatch, height: Self.swatch), .gray)
            drawing.text(entry.name, x: x + Self.swatch + 6, y: top + Self.swatch / 2, style: .tick, vertical: .center)
        }
    }
}
