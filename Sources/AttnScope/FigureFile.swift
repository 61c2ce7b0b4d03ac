import AttnCheckpoint
import AttnRender
import Foundation

/// One standard figure: its PNG file name and the drawing both its PNG and its SVG are made of.
package struct FigureFile: Sendable {
    /// The PNG's name in the figure folder, e.g. `sink-atlas.png`; the SVG swaps the extension.
    package var name: String
    /// What the figure draws.
    package var drawing: Drawing

    /// The SVG's name beside the PNG.
    package var svgName: String { String(name.dropLast(4)) + ".svg" }

    /// Writes `name` (PNG) and `svgName` (SVG) into `directory`; returns both URLs.
    func write(to directory: URL) throws -> [URL] {
        let png = directory.appendingPathComponent(name)
        let svg = directory.appendingPathComponent(svgName)
        try Canvas(drawing).write(to: png)
        try OutputFile.write(Data(try drawing.svgDocument().utf8), to: svg)
        return [png, svg]
    }
}
