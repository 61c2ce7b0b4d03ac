import AttnCheckpoint
import Foundation
import Testing
@testable import AttnRender

@Suite struct PNGFileTests {
    /// A small canvas with distinct colours in each quadrant and a translucent pixel.
    private func pattern() throws -> Canvas {
        var canvas = try Canvas(width: 7, height: 5)
        canvas.fill(Rect(x: 0, y: 0, width: 3, height: 2), RGBA(255, 0, 0))
        canvas.fill(Rect(x: 3, y: 0, width: 4, height: 2), RGBA(0, 128, 255))
        canvas.fill(Rect(x: 0, y: 2, width: 7, height: 3), RGBA(10, 200, 30))
        canvas.set(x: 6, y: 4, RGBA(1, 2, 3, 77))
        return canvas
    }

    @Test func rgbaRoundTripIsExact() throws {
        let url = TestMaps.url("roundtrip-rgba.png")
        try PNGFile.write(pattern(), to: url, alpha: true)
        let back = try PNGFile.read(from: url)
        #expect(try back == pattern())
    }

    @Test func rgbRoundTripKeepsColoursAndDropsAlpha() throws {
        let url = TestMaps.url("roundtrip-rgb.png")
        try pattern().write(to: url)
        let back = try PNGFile.read(from: url)
        #expect(back.width == 7 && back.height == 5)
        #expect(back.pixel(x: 0, y: 0) == RGBA(255, 0, 0))
        #expect(back.pixel(x: 4, y: 1) == RGBA(0, 128, 255))
        #expect(back.pixel(x: 2, y: 3) == RGBA(10, 200, 30))
        #expect(back.pixel(x: 6, y: 4) == RGBA(1, 2, 3, 255))
    }

    @Test func overwritesAndLeavesNoTemporaryFile() throws {
        let folder = TestMaps.folder.appendingPathComponent("overwrite-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("figure.png")
        try Canvas(width: 3, height: 3, background: .black).write(to: url)
        try Canvas(width: 4, height: 2).write(to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["figure.png"])
        let back = try PNGFile.read(from: url)
        #expect(back.width == 4 && back.height == 2 && back.pixel(x: 0, y: 0) == .white)
    }

    @Test func writingOverALinkRefusesItAndLeavesItsTarget() throws {
        let folder = TestMaps.folder.appendingPathComponent("link-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("target.txt"), url = folder.appendingPathComponent("figure.png")
        try Data("keep".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
        let error = try #require(throws: OutputError.self) { try Canvas(width: 2, height: 2).write(to: url) }
        #expect(error.description.contains(url.path) && error.description.contains("symbolic link"))
        #expect(try Data(contentsOf: target) == Data("keep".utf8))
    }

    @Test func readingANonPNGNamesThePath() throws {
        let url = TestMaps.url("not-a-png.png")
        try Data("hello, not a png".utf8).write(to: url)
        let error = try #require(throws: RenderError.self) { try PNGFile.read(from: url) }
        #expect(error.description.contains(url.path))
        let missing = TestMaps.url("missing-\(UUID().uuidString).png")
        let missingError = try #require(throws: RenderError.self) { try PNGFile.read(from: missing) }
        #expect(missingError.description.contains(missing.path))
    }
}
