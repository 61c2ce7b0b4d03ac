import Testing
@testable import AttnRender

@Suite struct ScaleTests {
    @Test func colormapEndsMatchThePublishedTables() {
        // matplotlib _viridis_data[0] = (0.267004, 0.004874, 0.329415), [255] = (0.993248, 0.906157, 0.143936).
        #expect(Colormap.viridis.coldEnd == RGBA(68, 1, 84))
        #expect(Colormap.viridis.hotEnd == RGBA(253, 231, 37))
        // _magma_data[0] = (0.001462, 0.000466, 0.013866), [255] = (0.987053, 0.991438, 0.749504).
        #expect(Colormap.magma.coldEnd == RGBA(0, 0, 4))
        #expect(Colormap.magma.hotEnd == RGBA(252, 253, 191))
        #expect(
            Colormap.viridis.table.count == 768 && Colormap.magma.table.count == 768 && Colormap.rdBu.table.count == 768
        )
    }

    @Test func divergingMapIsBlueWhiteRed() {
        let low = Colormap.rdBu.coldEnd
        let middle = Colormap.rdBu.color(at: 0.5)
        let high = Colormap.rdBu.hotEnd
        #expect(low.b > low.r && high.r > high.b)
        #expect(middle.r > 240 && middle.g > 240 && middle.b > 240)
    }

    @Test func logScaleKeepsSmallValuesApart() {
        let log = ColorScale.log(floor: 1e-4, max: 0.9)
        let linear = ColorScale.linear(min: 0, max: 0.9)
        let small: [Float] = [0, 1e-3, 1e-2, 0.1]
        let logColors = small.map { Colormap.viridis.color(at: log.normalized($0)) }
        #expect(Set(logColors).count == 4)
        #expect(log.normalized(1e-3) > 0.2 && log.normalized(1e-2) > 0.45)
        // Linear: 0, 0.001 and 0.01 all collapse onto (nearly) the cold end.
        let linearIndices = small.prefix(3).map { Int((linear.normalized($0) * 255).rounded()) }
        #expect(linearIndices == [0, 0, 3])
        #expect(log.normalized(0.9) == 1 && log.normalized(1e-7) == 0 && log.normalized(0) == 0)
    }

    @Test func ticksUseOneTwoFiveSteps() {
        #expect(Ticks.linear(0, 0.93) == [0, 0.2, 0.4, 0.6000000000000001, 0.8])
        #expect(Ticks.labels(Ticks.linear(0, 0.93)) == ["0.0", "0.2", "0.4", "0.6", "0.8"])
        #expect(Ticks.linear(0, 29, target: 10) == [0, 5, 10, 15, 20, 25])
        #expect(Ticks.labels([0, 5, 10]) == ["0", "5", "10"])
        #expect(Ticks.logarithmic(1e-4, 0.9) == [1e-4, 1e-3, 1e-2, 1e-1])
        #expect(Ticks.format(1e-4) == "1e-4" && Ticks.format(0.01) == "0.01" && Ticks.format(250) == "250")
        #expect(Ticks.format(10_000) == "10000" && Ticks.format(12_345.5) == "12345.5" && Ticks.format(1e5) == "1e5")
        #expect(Ticks.niceStep(0.37) == 0.5 && Ticks.niceStep(12) == 20 && Ticks.niceStep(1) == 1)
    }

    @Test func blockMeanAveragesWholeAndEdgeBlocks() throws {
        let m = try Matrix(rows: 3, cols: 3, values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let shrunk = m.blockMean(2)
        #expect(shrunk.rows == 2 && shrunk.cols == 2)
        #expect(shrunk.values == [3, 4.5, 7.5, 9])
        #expect(throws: RenderError.self) { try Matrix(rows: 2, cols: 2, values: [1, 2, 3]) }
    }
}
