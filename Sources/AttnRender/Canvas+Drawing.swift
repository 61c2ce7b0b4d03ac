extension Canvas {
    /// The raster of `drawing`: a white canvas of its size with every command painted in order.
    public init(_ drawing: Drawing) throws {
        try self.init(width: drawing.width, height: drawing.height)
        for command in drawing.commands {
            switch command {
            case .fill(let rect, let color): fill(rect, color)
            case .stroke(let rect, let color, let thickness): stroke(rect, color, thickness: thickness)
            case .line(let start, let end, let color, let width): line(from: start, to: end, color: color, width: width)
            case .dashedLine(let start, let end, let color, let width, let dash, let gap):
                dashedLine(from: start, to: end, color: color, width: width, dash: dash, gap: gap)
            case .polyline(let points, let color, let width): polyline(points, color: color, width: width)
            case .marker(let shape, let center, let size, let color):
                marker(shape, at: center, size: size, color: color)
            case .band(let upper, let lower, let color): fillBand(upper: upper, lower: lower, color: color)
            case .text(let text, let box, let style): self.text(text, in: box, style: style)
            case .heatmap(let matrix, let x, let y, let cell, let colormap, let scale):
                heatmap(matrix, x: x, y: y, cell: cell, colormap: colormap, scale: scale)
            }
        }
    }
}
