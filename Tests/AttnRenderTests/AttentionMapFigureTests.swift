import Foundation
import Testing
@testable import AttnRender

@Suite struct AttentionMapFigureTests {
    /// An 8×8 map that is zero except for one 1.0 at (`hotRow`, `hotColumn`).
    private func oneHot(_ hotRow: Int, _ hotColumn: Int, size: Int = 8) throws -> Matrix {
        var values = [Float](repeating: 0, count: size * size)
        values[hotRow * size + hotColumn] = 1
        return try Matrix(rows: size, cols: size, values: values)
    }

    @Test func oneHotMapIsHotExactlyWhereTheMassIs() throws {
        let figure = try AttentionMapFigure(
            map: oneHot(5, 2), rowLabels: TestMaps.tokens(8), columnLabels: TestMaps.tokens(8), title: "one-hot",
            scale: .linear(min: 0, max: 1))
        let url = TestMaps.url("one-hot.png")
        try figure.write(to: url)
        let image = try PNGFile.read(from: url)
        let layout = figure.layout()
        #expect(image.width == layout.canvasWidth && image.height == layout.canvasHeight)
        #expect(layout.cell == 28)
        for i in 0..<8 {
            for j in 0..<8 {
                let x = layout.mapRect.x + j * layout.cell
                let y = layout.mapRect.y + i * layout.cell
                let expected = (i, j) == (5, 2) ? Colormap.viridis.hotEnd : Colormap.viridis.coldEnd
                // Every pixel of the cell, corners included, has the exact colour.
                for (dx, dy) in [(0, 0), (27, 0), (0, 27), (27, 27), (14, 14)] {
                    #expect(image.pixel(x: x + dx, y: y + dy) == expected, "cell (\(i), \(j))")
                }
            }
        }
    }

    @Test func labelsInkTheirBandsAndNothingElse() throws {
        let labels = TestMaps.tokens(8)
        var unlabelled = try AttentionMapFigure(map: TestMaps.causalSink(8), title: "t")
        unlabelled.colorBarCaption = ""
        let labelled = try AttentionMapFigure(
            map: TestMaps.causalSink(8), rowLabels: labels, columnLabels: labels, title: "t")
        let url = TestMaps.url("labels.png")
        try labelled.write(to: url)
        let image = try PNGFile.read(from: url)
        let layout = labelled.layout()
        let map = layout.mapRect
        // Every token's row label ink lies in the band left of its row; every column label below its column.
        for i in 0..<8 {
            // Tick marks excluded; the smallest label, ".", has 5 ink pixels.
            let rowBand = Rect(x: 0, y: map.y + i * layout.cell, width: map.x - 5, height: layout.cell)
            #expect(inkCount(image, in: rowBand) >= 5, "row label \(i)")
            let columnBand = Rect(
                x: map.x + i * layout.cell, y: map.maxY + 5, width: layout.cell, height: layout.columnLabelHeight + 3)
            #expect(inkCount(image, in: columnBand) >= 5, "column label \(i)")
        }
        // Between the map's right edge and the colour bar, and below the "key" caption: no ink.
        #expect(inkCount(image, in: Rect(x: map.maxX + 2, y: map.y, width: 16, height: map.height)) == 0)
        #expect(inkCount(image, in: Rect(x: 0, y: image.height - 14, width: image.width, height: 14)) == 0)
        // Without labels the bands are empty.
        let bare = try unlabelled.render()
        let bareMap = unlabelled.layout().mapRect
        #expect(inkCount(bare, in: Rect(x: 30, y: bareMap.y, width: bareMap.x - 32, height: bareMap.height)) == 0)
        #expect(inkCount(bare, in: Rect(x: bareMap.x, y: bareMap.maxY + 5, width: bareMap.width, height: 4)) == 0)
    }

    @Test func labelsAreThinnedWithoutOverlap() throws {
        let t = 300
        let figure = try AttentionMapFigure(
            map: TestMaps.causalSink(t), rowLabels: TestMaps.tokens(t), columnLabels: TestMaps.tokens(t), title: "t")
        let layout = figure.layout()
        #expect(layout.columns.count > 20 && layout.columns.count < t)
        let step = layout.columns[1] - layout.columns[0]
        #expect(Float(step) * layout.columnPitch >= 13)
        #expect(layout.rows == layout.columns)
    }

    @Test func longSequenceFitsThePixelBudgetAndSaysItWasAveraged() throws {
        let t = 2048
        var values = [Float](repeating: 0, count: t * t)
        for i in 0..<t {
            values[i * t] = 0.9
            for j in 0...i where j > 0 { values[i * t + j] = 0.1 / Float(i) }
        }
        let figure = try AttentionMapFigure(
            map: Matrix(rows: t, cols: t, values: values), rowLabels: (0..<t).map { "t\($0)" },
            columnLabels: (0..<t).map { "t\($0)" }, title: "Layer 0, head 0")
        let url = TestMaps.url("long-2048.png")
        try figure.write(to: url)
        let image = try PNGFile.read(from: url)
        #expect(image.width <= 1200 && image.height <= 1200)
        #expect(figure.blockFactor == 3)
        #expect(figure.displayedTitle == "Layer 0, head 0 (T=2048, 3×3 block mean)")
        let layout = figure.layout()
        // Nothing cropped: the averaged map covers all 2048 tokens.
        #expect(layout.shown.rows * 3 >= t && layout.mapRect.width == layout.shown.cols * layout.cell)
        // The sink column is the hottest colour of the map's first column.
        let sink = image.pixel(x: layout.mapRect.x, y: layout.mapRect.maxY - 1)
        let elsewhere = image.pixel(x: layout.mapRect.x + 10, y: layout.mapRect.maxY - 1)
        #expect(sink != elsewhere)
    }

    @Test func mismatchedLabelsAreRejected() throws {
        #expect(throws: RenderError.self) {
            try AttentionMapFigure(map: TestMaps.causalSink(4), rowLabels: ["a"], title: "t")
        }
    }
}

@Suite struct DifferenceFigureTests {
    @Test func differenceIsWhiteWhereMapsAgreeAndRedBlueWhereTheyDiffer() throws {
        let a = try Matrix(rows: 2, cols: 2, values: [1, 0, 0.5, 0.5])
        let b = try Matrix(rows: 2, cols: 2, values: [0, 1, 0.5, 0.5])
        let figure = try AttentionMapFigure.difference(a, minus: b, title: "a - b")
        let url = TestMaps.url("difference.png")
        try figure.write(to: url)
        let image = try PNGFile.read(from: url)
        let layout = figure.layout()
        let cell = layout.cell
        let at = { (i: Int, j: Int) in
            image.pixel(x: layout.mapRect.x + j * cell + cell / 2, y: layout.mapRect.y + i * cell + cell / 2)
        }
        #expect(at(0, 0) == Colormap.rdBu.hotEnd)
        #expect(at(0, 1) == Colormap.rdBu.coldEnd)
        #expect(at(1, 0) == Colormap.rdBu.color(at: 0.5))
        #expect(throws: RenderError.self) {
            try AttentionMapFigure.difference(a, minus: TestMaps.causalSink(3), title: "x")
        }
    }
}
