import Testing
@testable import AttnRender

/// Figures with blocks on an axis: ±sd bands inside the metric's range, marked (global) blocks,
/// and the side-by-side atlas of `compare`.
@Suite struct BlockAxisFigureTests {
    /// The rows of the chart's horizontal grid lines (one per y tick), top to bottom.
    static func gridRows(_ drawing: Drawing) -> [Int] {
        drawing.commands.compactMap {
            if case .fill(let rect, .lightGray) = $0, rect.height == 1 { rect.y } else { nil }
        }.sorted()
    }

    /// Every y of every ±sd band.
    static func bandRows(_ drawing: Drawing) -> [Float] {
        drawing.commands.flatMap { command -> [Float] in
            if case .band(let upper, let lower, _) = command { (upper + lower).map(\.y) } else { [] }
        }
    }

    @Test("±sd bands stop at the metric's range: a rate's band stays within [0, 1] and no tick leaves it")
    func bandsAreClipped() throws {
        let series = try LineSeries(name: "run", values: [0.9, 0.1, 0.5], sd: [0.5, 0.5, 0.1])
        let clipped = try LineChartFigure(series: [series], title: "sink rate", yLabel: "rate", valueRange: 0...1)
            .drawing()
        let rows = Self.gridRows(clipped)
        let (top, bottom) = (try #require(rows.first), try #require(rows.last))  // the ticks 1.0 and 0.0
        #expect(
            clipped.texts.contains("1.0") && clipped.texts.contains("0.0")
                && !clipped.texts.contains { $0.hasPrefix("-") })
        #expect(Self.bandRows(clipped).allSatisfy { $0 >= Float(top) - 1 && $0 <= Float(bottom) + 1 })
        let free = try LineChartFigure(series: [series], title: "sink rate", yLabel: "rate").drawing()
        let lowest = try #require(Self.gridRows(free).last)  // the tick 0.0: the axis fits -0.49...1.49 on steps of 0.5
        #expect(Self.bandRows(free).contains { $0 > Float(lowest) + 1 }, "without a range the band reaches below 0")
    }

    @Test("Marked blocks: shaded columns with a legend entry in a line chart, triangles in a grid")
    func marks() throws {
        let marks = BlockMarks(blocks: [1, 3], label: "global block (no sliding window)")
        let chart = try LineChartFigure(
            series: [LineSeries(name: "run", values: [1, 2, 3, 4])], title: "t", yLabel: "y", marks: marks
        ).drawing()
        #expect(chart.texts.contains(marks.label))
        let shaded = chart.commands.filter { if case .fill(_, BlockMarks.shade) = $0 { true } else { false } }
        #expect(shaded.count == 3, "two columns and the legend swatch")
        let grid = try ScalarGridFigure(
            values: Matrix(rows: 4, cols: 2, values: Array(repeating: 0.5, count: 8)), title: "t", metricName: "m",
            marks: marks
        ).drawing()
        #expect(grid.texts.contains(marks.label))
        let triangles = grid.commands.filter { if case .marker(.triangle, _, _, _) = $0 { true } else { false } }
        #expect(triangles.count == 3, "two blocks and the legend symbol")
    }

    @Test("The side-by-side atlas names its axes and its metric, keeps every tick inside, and is sized for a page")
    func comparisonAtlas() throws {
        let panels = try [30, 18, 4].enumerated().map { index, layers in
            AtlasComparisonFigure.Panel(
                title: "run \(index)",
                values: try Matrix(rows: layers, cols: 9, values: (0..<(layers * 9)).map { Float($0 % 10) / 10 }),
                marks: index == 1 ? BlockMarks(blocks: [5, 11, 17], label: "global block (no sliding window)") : nil)
        }
        let figure = try AtlasComparisonFigure(
            panels: panels, title: "Sink atlas", metricName: "first-token importance")
        let drawing = try figure.drawing()
        #expect(drawing.texts.filter { $0 == "block" }.count == 3 && drawing.texts.filter { $0 == "head" }.count == 3)
        #expect(drawing.texts.contains("first-token importance") && !drawing.texts.contains("attention weight"))
        #expect(drawing.texts.contains("global block (no sliding window)"))
        for command in drawing.commands {
            if case .text(_, let box, _) = command {
                #expect(
                    box.x >= 0 && box.y >= 0 && box.maxX <= drawing.width && box.maxY <= drawing.height,
                    "\(box) is clipped")
            }
        }
        #expect(drawing.texts.contains("0.0"))
        for panel in panels {
            #expect(
                panel.values.rows * AtlasComparisonFigure.cellSize(panel).width >= AtlasComparisonFigure.minPanelWidth)
        }
        // Printed 17 cm wide, a 13-pixel text line stays above 2.5 mm (about 7 pt).
        #expect(170.0 / Double(drawing.width) * 13 >= 2.5, "\(drawing.width) px wide")
    }
}
