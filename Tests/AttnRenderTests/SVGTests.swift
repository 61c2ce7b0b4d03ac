import Foundation
import Testing
@testable import AttnRender
import TestSupport

@Suite struct SVGTests {
    /// One figure of every kind, with labels that need escaping.
    static func drawings() throws -> [(String, Drawing)] {
        let map = TestMaps.causalSink(12)
        let labels = (0..<12).map { $0 == 3 ? "<b>&\u{1}\"" : "tok\($0)" }
        return [
            (
                "line chart",
                try LineChartFigure(
                    series: [
                        try LineSeries(name: "a & b", values: [0.5, 0.2, .nan, 0.4], sd: [0.1, 0.1, 0, 0.1]),
                        try LineSeries(name: "c", values: [0.1, 0.3, 0.2, 0.6]),
                    ],
                    title: "First-token importance <by layer>", yLabel: "mean", referenceLines: [(0.3, "ε")]
                ).drawing()
            ),
            (
                "bar chart",
                try BarChartFigure(
                    values: (0..<12).map { Float($0) + 1 }, labels: labels, title: "Norms", yLabel: "norm",
                    logarithmic: true
                ).drawing()
            ),
            (
                "map",
                try AttentionMapFigure(map: map, rowLabels: labels, columnLabels: labels, title: "Layer 0").drawing()
            ),
            ("grid", try MapGridFigure.heads(of: [map, map, map], layer: 2).drawing()),
            (
                "atlas",
                try ScalarGridFigure(
                    values: try Matrix(rows: 3, cols: 2, values: [0.1, 0.9, 0.5, .nan, 0.3, 0.7]), title: "Sink atlas",
                    metricName: "importance"
                ).drawing()
            ),
        ]
    }

    @Test("every figure's SVG is well-formed XML with the same text runs as its drawing, heatmaps as images")
    func svgMatchesTheDrawing() throws {
        for (kind, drawing) in try Self.drawings() {
            let svg = try drawing.svgDocument()
            let parsed = try #require(SVGTexts.parse(svg), "\(kind): not well-formed")
            #expect(!drawing.texts.isEmpty, "\(kind)")
            #expect(
                parsed.texts == drawing.texts.map { $0.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}") }, "\(kind)")
            let heatmaps = drawing.commands.filter { if case .heatmap = $0 { true } else { false } }.count
            #expect(parsed.imageCount == heatmaps, "\(kind)")
            #expect(!svg.contains("\u{1}"))
        }
    }

    @Test("an SVG is at most a two-column page wide, and its element form carries no namespace URL")
    func svgSize() throws {
        let wide = try Drawing(width: 1400, height: 700)
        #expect(try wide.svgDocument().contains("width=\"178mm\" height=\"89mm\""))
        let narrow = try Drawing(width: 96, height: 48)
        #expect(try narrow.svgDocument().contains("width=\"25.4mm\" height=\"12.7mm\""))
        #expect(try !narrow.svgElement().contains("http"))
    }

    @Test("the raster of a drawing is the figure's render")
    func rasterIsTheRender() throws {
        let figure = try AttentionMapFigure(map: TestMaps.causalSink(9), title: "t")
        #expect(try Canvas(figure.drawing()) == figure.render())
    }
}
