import Foundation
import Testing
@testable import AttnRender

/// All distinct colours of `canvas`.
func colors(_ canvas: Canvas) -> Set<RGBA> {
    var seen = Set<RGBA>()
    for y in 0..<canvas.height { for x in 0..<canvas.width { seen.insert(canvas.pixel(x: x, y: y)!) } }
    return seen
}

@Suite struct ChartFigureTests {
    @Test func lineChartDrawsEverySeriesColourAndBand() throws {
        let series = try (0..<4).map { s in
            try LineSeries(
                name: "model \(s)", values: (0..<12).map { Float($0 + 3 * s) / 10 },
                sd: s == 0 ? Array(repeating: 0.1, count: 12) : [])
        }
        let url = TestMaps.url("lines.png")
        try LineChartFigure(
            series: series, title: "entropy by layer", yLabel: "entropy", referenceLines: [(0.5, "half")]
        )
        .write(to: url)
        let image = try PNGFile.read(from: url)
        let seen = colors(image)
        for s in 0..<4 { #expect(seen.contains(Palette.color(s)), "series \(s)") }
        #expect(!seen.contains(Palette.color(4)))
        // The ±sd band of series 0: its translucent blue over white.
        #expect(seen.contains(RGBA(Palette.color(0).r, Palette.color(0).g, Palette.color(0).b, 56).over(.white)))
    }

    @Test func lineSeriesRejectsMismatchedSd() {
        #expect(throws: RenderError.self) { try LineSeries(name: "x", values: [1, 2], sd: [1]) }
    }

    @Test func barChartDrawsOneBarPerTokenWithLabels() throws {
        let values: [Float] = [40, 5, 6, 7, 0, 9]
        let figure = try BarChartFigure(
            values: values, labels: ["<s>", "a", "b", "c", "d", "e"], title: "value norm", yLabel: "value_norm")
        let url = TestMaps.url("bars.png")
        try figure.write(to: url)
        let image = try PNGFile.read(from: url)
        // Scan the row just above the x axis: bars are runs of the bar colour, one per non-zero value.
        let axisRow = (0..<image.height).reversed().first { y in image.pixel(x: 80, y: y) == .black }!
        var runs = 0
        var inside = false
        for x in 0..<image.width {
            let isBar = image.pixel(x: x, y: axisRow - 2) == Palette.color(0)
            if isBar && !inside { runs += 1 }
            inside = isBar
        }
        #expect(runs == 5)
        #expect(inkCount(image, in: Rect(x: 60, y: axisRow + 5, width: image.width - 60, height: 20)) > 30)
    }

    @Test func sinkAtlasColoursEachLayerHeadCell() throws {
        // 3 layers × 2 heads; layer 1, head 0 is 1.0, everything else 0.
        let values = try Matrix(rows: 3, cols: 2, values: [0, 0, 1, 0, 0, 0])
        let figure = ScalarGridFigure(
            values: values, title: "sink atlas", metricName: "first_token_importance", cellSize: 20)
        let url = TestMaps.url("sink-atlas-small.png")
        try figure.write(to: url)
        let image = try PNGFile.read(from: url)
        // Only grid cells take the exact ends of the colormap (the colour bar's end rows are framed).
        var hot: [(x: Int, y: Int)] = []
        var cold: [(x: Int, y: Int)] = []
        for y in 0..<image.height {
            for x in 0..<image.width {
                if image.pixel(x: x, y: y) == Colormap.viridis.hotEnd { hot.append((x, y)) }
                if image.pixel(x: x, y: y) == Colormap.viridis.coldEnd { cold.append((x, y)) }
            }
        }
        // Layers run along x, heads down y: the hot cell is the second column of the first row.
        #expect(hot.count == 400 && cold.count == 5 * 400)
        let left = cold.map(\.x).min()!
        let top = cold.map(\.y).min()!
        #expect(hot.map(\.x).min()! == left + 20 && hot.map(\.x).max()! == left + 39)
        #expect(hot.map(\.y).min()! == top && hot.map(\.y).max()! == top + 19)
        #expect(cold.map(\.x).max()! == left + 59 && cold.map(\.y).max()! == top + 39)
    }

    @Test func atlasPlacesEveryPanelOnOneScale() throws {
        let maps = (0..<3).map { l in (0..<2).map { h in TestMaps.causalSink(16, sink: Float(l * 2 + h) / 6) } }
        let figure = try MapGridFigure.atlas(maps)
        let url = TestMaps.url("atlas-small.png")
        try figure.write(to: url)
        let image = try PNGFile.read(from: url)
        #expect(image.width < 1200 && image.height < 1200)
        #expect(colors(image).contains(Colormap.viridis.hotEnd))
        #expect(throws: RenderError.self) { try MapGridFigure.atlas([[TestMaps.causalSink(4)], []]) }
        let heads = try MapGridFigure.heads(of: (0..<9).map { _ in TestMaps.causalSink(8) }, layer: 2)
        #expect(heads.columns == 3 && heads.panelTitles.last == "head 8")
    }
}
