import Testing
@testable import AttnRender

/// Odd but legal inputs render a sensible picture instead of crashing.
@Suite struct DegenerateInputTests {
    @Test func tinyAndNonFiniteMapsRender() throws {
        let single = try AttentionMapFigure(map: Matrix(rows: 1, cols: 1, values: [1]), rowLabels: ["<s>"], columnLabels: ["<s>"], title: "T=1")
        let canvas = try single.render()
        #expect(canvas.pixel(x: single.layout().mapRect.x, y: single.layout().mapRect.y) == Colormap.viridis.hotEnd)
        let holes = try AttentionMapFigure(map: Matrix(rows: 2, cols: 2, values: [.nan, 1, .infinity, 0]), title: "holes")
        let layout = holes.layout()
        #expect(try holes.render().pixel(x: layout.mapRect.x, y: layout.mapRect.y) == .lightGray)
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
        let negativeLog = try BarChartFigure(values: [-1, 0], title: "nothing positive", yLabel: "y", logarithmic: true)
        #expect(!colors(try negativeLog.render()).contains(Palette.color(0)))
        #expect(throws: RenderError.self) { try BarChartFigure(values: [], title: "t", yLabel: "y") }
        #expect(throws: RenderError.self) { try LineChartFigure(series: [], title: "t", yLabel: "y") }
    }
}
