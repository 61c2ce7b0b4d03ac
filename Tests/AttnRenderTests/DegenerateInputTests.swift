import Testing
@testable import AttnRender

/// Odd but legal inputs render a sensible picture instead of crashing.
@Suite struct DegenerateInputTests {
    @Test("a line whose ends lie far outside the canvas, or are not finite, draws only what is inside")
    func farLines() throws {
        var canvas = try Canvas(width: 20, height: 10, background: .white)
        canvas.line(from: Point(x: 5, y: 939), to: Point(x: 6, y: 1e30), color: .black)  // below: nothing
        // no crash (float precision may drop it)
        canvas.line(from: Point(x: -1e30, y: 5), to: Point(x: 1e30, y: 5), color: .black)
        canvas.line(from: Point(x: -5000, y: 5.5), to: Point(x: 5000, y: 5.5), color: .black)  // across: row 5
        canvas.line(from: Point(x: .nan, y: 0), to: Point(x: 3, y: .infinity), color: .black)
        #expect(canvas.pixel(x: 10, y: 5) == .black)
        #expect(canvas.pixel(x: 10, y: 0) == .white)
    }

    @Test("a categorical grid draws each cell in its category's colour, with a legend instead of a colour bar")
    func categoryGrid() throws {
        let legend = CategoryLegend(entries: [
            .init(name: "a", color: RGBA(200, 0, 0)), .init(name: "b", color: RGBA(0, 0, 200)),
            .init(name: "c", color: .white),
        ])
        let figure = ScalarGridFigure(
            categories: try Matrix(rows: 3, cols: 1, values: [0, 1, 2]), legend: legend, title: "roles", cellSize: 20)
        let canvas = try figure.render()
        var seen = Set<RGBA>()
        for x in 0..<canvas.width {
            for y in 0..<canvas.height { if let p = canvas.pixel(x: x, y: y) { seen.insert(p) } }
        }
        #expect(seen.contains(RGBA(200, 0, 0)) && seen.contains(RGBA(0, 0, 200)))
        #expect(legend.colormap.color(at: legend.scale.normalized(1)) == RGBA(0, 0, 200))
    }

    @Test func tinyAndNonFiniteMapsRender() throws {
        let single = try AttentionMapFigure(
            map: Matrix(rows: 1, cols: 1, values: [1]), rowLabels: ["<s>"], columnLabels: ["<s>"], title: "T=1")
        let canvas = try single.render()
        #expect(canvas.pixel(x: single.layout().mapRect.x, y: single.layout().mapRect.y) == Colormap.viridis.hotEnd)
        let holes = try AttentionMapFigure(
            map: Matrix(rows: 2, cols: 2, values: [.nan, 1, .infinity, 0]), title: "holes")
        let layout = holes.layout()
        #expect(try holes.render().pixel(x: layout.mapRect.x, y: layout.mapRect.y) == .masked)
    }

    @Test func degenerateChartsRender() throws {
        let flat = try LineChartFigure(series: [LineSeries(name: "one point", values: [0.5])], title: "t", yLabel: "y")
        #expect(colors(try flat.render()).contains(Palette.color(0)))
        let gaps = try LineChartFigure(
            series: [LineSeries(name: "gaps", values: [1, .nan, 3, .infinity, 2], sd: [0.1, 0.1, .nan, 0.1, 0.1])],
            title: "t", yLabel: "y")
        #expect(colors(try gaps.render()).contains(Palette.color(0)))
        let zeros = try BarChartFigure(values: [0, 0, 0], title: "zeros", yLabel: "y")
        #expect(try zeros.render().width > 0)
        let negativeLog = try BarChartFigure(
            values: [-1, 0], title: "nothing positive", yLabel: "y", logarithmic: true)
        #expect(!colors(try negativeLog.render()).contains(Palette.color(0)))
        #expect(throws: RenderError.self) { try BarChartFigure(values: [], title: "t", yLabel: "y") }
        #expect(throws: RenderError.self) { try LineChartFigure(series: [], title: "t", yLabel: "y") }
    }
}

/// Cells a query cannot see against the colour scale.
@Suite struct MaskedCellTests {
    @Test(
        "A masked cell is the neutral grey in PNG and SVG, and differs from the scale's minimum and every colormap entry"
    )
    func maskedCellsAreNeutral() throws {
        // A causal 2-token map: (0, 1) is masked (NaN), (1, 0) is near-zero attention.
        let map = try Matrix(rows: 2, cols: 2, values: [1, .nan, 1e-9, 1])
        let figure = try AttentionMapFigure(map: map, title: "causal")
        let layout = figure.layout()
        let canvas = try figure.render()
        let masked = canvas.pixel(x: layout.mapRect.x + layout.cell, y: layout.mapRect.y)
        let nearZero = canvas.pixel(x: layout.mapRect.x, y: layout.mapRect.y + layout.cell)
        #expect(masked == .masked)
        #expect(nearZero == Colormap.viridis.coldEnd && nearZero != .masked)
        for colormap in [Colormap.viridis, .magma, .rdBu] {
            for index in 0..<256 {
                let c = colormap.entry(index), m = RGBA.masked
                #expect(
                    max(abs(Int(c.r) - Int(m.r)), abs(Int(c.g) - Int(m.g)), abs(Int(c.b) - Int(m.b))) >= 45,
                    "\(colormap.name) \(index)")
            }
        }
        // The SVG embeds the same cells as an image: its pixel (1, 0) is the masked grey.
        var cells = try Canvas(width: 2, height: 2)
        cells.heatmap(map, x: 0, y: 0, cell: 1, colormap: .viridis, scale: figure.scale)
        #expect(cells.pixel(x: 1, y: 0) == .masked && cells.pixel(x: 0, y: 1) == Colormap.viridis.coldEnd)
    }
}
