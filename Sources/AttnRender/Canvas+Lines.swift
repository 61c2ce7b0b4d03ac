/// The shape of a data marker on a line chart.
public enum MarkerShape: Sendable, CaseIterable {
    /// A filled disc.
    case circle
    /// A filled axis-aligned square.
    case square
    /// A filled upward triangle.
    case triangle
    /// A filled square turned 45°.
    case diamond
}

extension Canvas {
    /// Draws an anti-aliased line of `width` pixels with round ends from `start` to `end`.
    /// Only the pixels inside the canvas are touched: ends far outside it (or not finite) draw nothing there.
    public mutating func line(from start: Point, to end: Point, color: RGBA, width: Float = 1) {
        guard start.x.isFinite, start.y.isFinite, end.x.isFinite, end.y.isFinite else { return }
        let half = max(0.5, width / 2)
        // Pixel bounds clamped to the canvas before converting, so no coordinate overflows an Int.
        func pixel(_ value: Float, _ limit: Int) -> Int { Int(max(0, min(Float(limit), value))) }
        let left = pixel((min(start.x, end.x) - half - 1).rounded(.down), self.width)
        let right = pixel((max(start.x, end.x) + half + 1).rounded(.up), self.width)
        let top = pixel((min(start.y, end.y) - half - 1).rounded(.down), self.height)
        let bottom = pixel((max(start.y, end.y) + half + 1).rounded(.up), self.height)
        let dx = end.x - start.x
        let dy = end.y - start.y
        let lengthSquared = dx * dx + dy * dy
        for y in top..<max(top, bottom) {
            for x in left..<max(left, right) {
                let px = Float(x) + 0.5 - start.x
                let py = Float(y) + 0.5 - start.y
                let t = lengthSquared > 0 ? max(0, min(1, (px * dx + py * dy) / lengthSquared)) : 0
                let ex = px - t * dx
                let ey = py - t * dy
                let distance = (ex * ex + ey * ey).squareRoot()
                blend(x: x, y: y, color, coverage: half + 0.5 - distance)
            }
        }
    }

    /// Draws a dashed line: `dash` pixels drawn, `gap` pixels skipped, starting with a dash.
    public mutating func dashedLine(
        from start: Point, to end: Point, color: RGBA, width: Float = 1, dash: Float = 6, gap: Float = 4
    ) {
        let dx = end.x - start.x
        let dy = end.y - start.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0, dash > 0 else { return }
        var position: Float = 0
        while position < length {
            let stop = min(length, position + dash)
            line(
                from: Point(x: start.x + dx * position / length, y: start.y + dy * position / length),
                to: Point(x: start.x + dx * stop / length, y: start.y + dy * stop / length),
                color: color, width: width)
            position = stop + max(0, gap)
        }
    }

    /// Draws connected anti-aliased segments through `points`.
    public mutating func polyline(_ points: [Point], color: RGBA, width: Float = 1) {
        for (a, b) in zip(points, points.dropFirst()) {
            line(from: a, to: b, color: color, width: width)
        }
    }

    /// Draws a filled marker of `shape` centred on `center`, `size` pixels across; its inside is
    /// exactly `color`, its edge anti-aliased.
    public mutating func marker(_ shape: MarkerShape, at center: Point, size: Float, color: RGBA) {
        let radius = size / 2
        let reach = Int(radius.rounded(.up)) + 1
        let cx = Int(center.x.rounded(.down))
        let cy = Int(center.y.rounded(.down))
        for y in (cy - reach)...(cy + reach) {
            for x in (cx - reach)...(cx + reach) {
                let px = Float(x) + 0.5 - center.x
                let py = Float(y) + 0.5 - center.y
                // Signed distance to the shape's edge: negative inside.
                let edge: Float
                switch shape {
                case .circle: edge = (px * px + py * py).squareRoot() - radius
                case .square: edge = max(abs(px), abs(py)) - radius * 0.85
                case .diamond: edge = (abs(px) + abs(py)) / Float(2).squareRoot() - radius * 0.8
                case .triangle:
                    let r = radius * 1.1
                    let bottom = py - r * 0.5
                    let sideA = (px * 0.866 - py * 0.5) - r * 0.5
                    let sideB = (-px * 0.866 - py * 0.5) - r * 0.5
                    edge = max(bottom, sideA, sideB)
                }
                blend(x: x, y: y, color, coverage: 0.5 - edge)
            }
        }
    }

    /// Fills the band between two curves sampled at the same x positions (`upper[i].x ==
    /// lower[i].x`, increasing), one pixel column at a time, with `color` (use a translucent one).
    public mutating func fillBand(upper: [Point], lower: [Point], color: RGBA) {
        let count = min(upper.count, lower.count)
        guard count >= 2 else { return }
        var segment = 0
        let first = Int(upper[0].x.rounded(.down))
        let last = Int(upper[count - 1].x.rounded(.up))
        for x in first..<last {
            let center = Float(x) + 0.5
            while segment < count - 2 && center > upper[segment + 1].x { segment += 1 }
            let x0 = upper[segment].x
            let x1 = upper[segment + 1].x
            guard center >= x0, center <= x1, x1 > x0 else { continue }
            let f = (center - x0) / (x1 - x0)
            let top = upper[segment].y + (upper[segment + 1].y - upper[segment].y) * f
            let bottom = lower[segment].y + (lower[segment + 1].y - lower[segment].y) * f
            let y0 = Int(min(top, bottom).rounded())
            let y1 = Int(max(top, bottom).rounded())
            fill(Rect(x: x, y: y0, width: 1, height: max(1, y1 - y0)), color)
        }
    }
}
