import Foundation

extension Drawing {
    /// The widest a figure is printed, in millimetres: the full text width of a two-column journal
    /// page (7 in). Narrower figures print at 96 pixels per inch.
    public static let printedWidthLimit = 178.0

    /// The drawing as a standalone SVG file (UTF-8): the same commands as its PNG, text as
    /// `<text>`, heatmaps as embedded PNG images at one pixel per cell, sized in millimetres for a
    /// two-column paper (at most ``printedWidthLimit`` wide).
    public func svgDocument() throws -> String {
        let millimetres = min(25.4 / 96, Self.printedWidthLimit / Double(max(1, width)))
        let size =
            "width=\"\(SVGText.number(Double(width) * millimetres))mm\" height=\"\(SVGText.number(Double(height) * millimetres))mm\""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + (try svg(
                attributes: "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" " + size))
            + "\n"
    }

    /// The drawing as an `<svg>` element to place inside an HTML page (no namespace declarations,
    /// which HTML implies; `width` and `height` in CSS pixels).
    public func svgElement() throws -> String {
        try svg(attributes: "width=\"\(width)\" height=\"\(height)\"")
    }

    private func svg(attributes: String) throws -> String {
        var out =
            "<svg \(attributes) viewBox=\"0 0 \(width) \(height)\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"10\" xml:space=\"preserve\">\n"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
        for command in commands {
            out += try Self.element(command) + "\n"
        }
        return out + "</svg>"
    }

    /// One command as one SVG element.
    private static func element(_ command: DrawCommand) throws -> String {
        let n = SVGText.number
        switch command {
        case .fill(let rect, let color):
            guard !rect.isEmpty else { return "" }
            return
                "<rect x=\"\(rect.x)\" y=\"\(rect.y)\" width=\"\(rect.width)\" height=\"\(rect.height)\" \(paint("fill", color))/>"
        case .stroke(let rect, let color, let thickness):
            let t = max(1, min(thickness, rect.width, rect.height))
            let half = Double(t) / 2
            return
                "<rect x=\"\(n(Double(rect.x) + half))\" y=\"\(n(Double(rect.y) + half))\" width=\"\(n(Double(rect.width) - Double(t)))\" height=\"\(n(Double(rect.height) - Double(t)))\" fill=\"none\" \(paint("stroke", color)) stroke-width=\"\(t)\"/>"
        case .line(let start, let end, let color, let width):
            return
                "<line \(endpoints(start, end)) \(paint("stroke", color)) stroke-width=\"\(n(Double(width)))\" stroke-linecap=\"round\"/>"
        case .dashedLine(let start, let end, let color, let width, let dash, let gap):
            return
                "<line \(endpoints(start, end)) \(paint("stroke", color)) stroke-width=\"\(n(Double(width)))\" stroke-linecap=\"round\" stroke-dasharray=\"\(n(Double(dash))) \(n(Double(gap)))\"/>"
        case .polyline(let points, let color, let width):
            guard points.count >= 2 else { return "" }
            return
                "<polyline points=\"\(pointList(points))\" fill=\"none\" \(paint("stroke", color)) stroke-width=\"\(n(Double(width)))\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
        case .marker(let shape, let center, let size, let color):
            return marker(shape, at: center, size: size, color: color)
        case .band(let upper, let lower, let color):
            guard min(upper.count, lower.count) >= 2 else { return "" }
            return "<polygon points=\"\(pointList(upper + lower.reversed()))\" \(paint("fill", color))/>"
        case .text(let text, let box, let style):
            let baseline = 11 * style.scale  // the 6×13 font's ascent
            let place =
                style.rotated
                ? "transform=\"translate(\(box.x + baseline) \(box.maxY)) rotate(-90)\""
                : "x=\"\(box.x)\" y=\"\(box.y + baseline)\""
            let size = style.scale == 1 ? "" : " font-size=\"\(10 * style.scale)\""
            let weight = style.bold ? " font-weight=\"bold\"" : ""
            return "<text \(place) \(paint("fill", style.color))\(size)\(weight)>\(SVGText.escaped(text))</text>"
        case .heatmap(let matrix, let x, let y, let cell, let colormap, let scale):
            var pixels = try Canvas(width: matrix.cols, height: matrix.rows)
            pixels.heatmap(matrix, x: 0, y: 0, cell: 1, colormap: colormap, scale: scale)
            let png = try PNGFile.encode(pixels).base64EncodedString()
            let side = max(1, cell)
            return
                "<image x=\"\(x)\" y=\"\(y)\" width=\"\(matrix.cols * side)\" height=\"\(matrix.rows * side)\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,\(png)\"/>"
        }
    }

    /// The filled shape ``Canvas/marker(_:at:size:color:)`` paints.
    private static func marker(_ shape: MarkerShape, at c: Point, size: Float, color: RGBA) -> String {
        let r = Double(size) / 2, x = Double(c.x), y = Double(c.y), n = SVGText.number
        func polygon(_ corners: [(Double, Double)]) -> String {
            "<polygon points=\"\(corners.map { "\(n(x + $0.0)),\(n(y + $0.1))" }.joined(separator: " "))\" \(paint("fill", color))/>"
        }
        switch shape {
        case .circle:
            return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" \(paint("fill", color))/>"
        case .square:
            let h = r * 0.85
            return polygon([(-h, -h), (h, -h), (h, h), (-h, h)])
        case .diamond:
            let h = r * 0.8 * 2.0.squareRoot()
            return polygon([(0, -h), (h, 0), (0, h), (-h, 0)])
        case .triangle:
            let t = r * 1.1
            return polygon([(0, -t), (t * 0.866, t * 0.5), (-t * 0.866, t * 0.5)])
        }
    }

    private static func paint(_ attribute: String, _ color: RGBA) -> String {
        let hex = RGBA(color.r, color.g, color.b).description
        return color.a == 255
            ? "\(attribute)=\"\(hex)\""
            : "\(attribute)=\"\(hex)\" \(attribute)-opacity=\"\(SVGText.number(Double(color.a) / 255))\""
    }

    private static func endpoints(_ a: Point, _ b: Point) -> String {
        let n = SVGText.number
        return "x1=\"\(n(Double(a.x)))\" y1=\"\(n(Double(a.y)))\" x2=\"\(n(Double(b.x)))\" y2=\"\(n(Double(b.y)))\""
    }

    private static func pointList(_ points: [Point]) -> String {
        points.map { "\(SVGText.number(Double($0.x))),\(SVGText.number(Double($0.y)))" }.joined(separator: " ")
    }
}
