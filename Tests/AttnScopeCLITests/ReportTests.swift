import AttnRender
@testable import AttnReport
import AttnScope
import Foundation
import Testing
import TestSupport

@Suite struct ReportTests {
    /// A finished run of the tiny GPT-2 over two text prompts (figures and report included).
    static func run(in folder: URL) throws -> URL {
        let checkpoint = try CommandLineTests.gpt2WithTokenizer(in: folder)
        let out = folder.appendingPathComponent("run")
        let result = try CommandLineRunner.run([
            "analyze", checkpoint.path, "--prompt", "Now is the winter of our discontent", "--prompt",
            "Made glorious summer",
            "--out", out.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    /// The value of `attribute` on the element with `id` in a DOM dump.
    static func attribute(_ attribute: String, ofElement id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
        let tagStart = dom[..<start.lowerBound].lastIndex(of: "<") ?? start.lowerBound
        let tag = dom[tagStart...].prefix { $0 != ">" }
        guard let value = tag.range(of: "\(attribute)=\"") else { return nil }
        return String(tag[value.upperBound...].prefix { $0 != "\"" })
    }

    @Test("report.html is self-contained, names no URL, and render writes the same bytes; one SVG per PNG")
    func selfContained() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let out = try Self.run(in: folder)
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(
            report.contains(
                "content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\""))
        #expect(!report.contains("http:") && !report.contains("https:") && !report.contains("//cdn"))
        #expect(!report.contains(" src=\""), "nothing is loaded by address")
        #expect(report.contains("<svg ") && report.contains("id=\"report-data\""))
        let again = folder.appendingPathComponent("again")
        let rendered = try CommandLineRunner.run([
            "render", out.appendingPathComponent("metrics.json").path, "--out", again.path,
        ])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(
            try Data(contentsOf: again.appendingPathComponent("report.html")) == Data(report.utf8),
            "same inputs, same bytes")

        let figures = out.appendingPathComponent("figures")
        let names = try FileManager.default.contentsOfDirectory(atPath: figures.path)
        let pngs = names.filter { $0.hasSuffix(".png") }.sorted()
        #expect(pngs.count == 24)
        #expect(names.filter { $0.hasSuffix(".svg") }.sorted() == pngs.map { String($0.dropLast(4)) + ".svg" })
        for name in pngs {
            let svg = String(name.dropLast(4)) + ".svg"
            let parsed = SVGTexts.parse(try String(contentsOf: figures.appendingPathComponent(svg), encoding: .utf8))
            #expect(parsed.map { !$0.texts.isEmpty } == true, "\(svg) parses and has text")
            #expect(
                try Data(contentsOf: again.appendingPathComponent(svg))
                    == Data(contentsOf: figures.appendingPathComponent(svg)), "render rewrites \(svg) identically")
        }
    }

    @Test("a sliding block's maps carry its window; a map over 256 tokens is block-averaged; codes round-trip")
    func reportMaps() throws {
        let t = 6, w = 3
        var values = [Float](repeating: 0, count: t * t)
        for i in 0..<t { for j in max(0, i - w + 1)...i { values[i * t + j] = 1 / Float(min(i + 1, w)) } }
        let sliding = try ReportMap(sample: 0, layer: 1, heads: 1, tokens: t, values: values, window: w)
        #expect(sliding.window == w && sliding.factor == 1 && sliding.size == t)
        var global = values
        global[5 * t] = 0.01
        #expect(try ReportMap(sample: 0, layer: 1, heads: 1, tokens: t, values: global, window: w).window == nil)
        let long = try ReportMap(
            sample: 2, layer: 0, heads: 2, tokens: 600, values: [Float](repeating: 1 / 600, count: 2 * 600 * 600),
            window: nil)
        #expect(long.factor == 3 && long.size == 200 && ReportMap.cells(heads: 2, tokens: 600) == 2 * 200 * 200)
        #expect(Data(base64Encoded: long.data)?.count == 2 * 200 * 200 * 2)
        for v: Float in [1, 0.5, 1e-3, 2e-8] {
            let q = Double(ReportMap.code(v))
            let back = pow(10, ReportMap.codeFloor * (1 - (q - 1) / 65534))
            #expect(abs(back - Double(v)) <= 4e-4 * Double(v), "\(v)")
        }
        #expect(ReportMap.code(0) == 0)
    }

    @Test(
        "headless Chromium opens report.html: no script error or console message, the fragment picks block and head, the pictures differ",
        .enabled(
            if: HeadlessChromium.executable != nil, "chromium is not installed (.ci/setup installs Debian's chromium)")
    )
    func chromiumOpensTheReport() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let out = try Self.run(in: folder)
        let report = out.appendingPathComponent("report.html")
        let document = try MetricsDocument.read(from: out.appendingPathComponent("metrics.json"))
        let (last, lastHead) = (document.model.layers - 1, document.model.heads - 1)
        #expect(last > 0 && lastHead > 0)
        var shots: [Canvas] = []
        for (layer, head) in [(0, 0), (last, lastHead)] {
            let url = URL(string: report.absoluteString + "#layer=\(layer)&head=\(head)")!
            let load = try HeadlessChromium.load(url)
            #expect(load.console.isEmpty, "\(load.console)")
            #expect(load.dom.contains("<body data-ready=\"1\">"), "the script ran to its end without an error")
            #expect(load.dom.contains("<pre id=\"errors\"></pre>"))
            #expect(Self.attribute("data-layer", ofElement: "view", in: load.dom) == "\(layer)")
            #expect(Self.attribute("data-head", ofElement: "view", in: load.dom) == "\(head)")
            #expect(load.dom.contains("<h2 id=\"view-title\">Block \(layer), head \(head), sample 0</h2>"))
            let png = folder.appendingPathComponent("shot-\(layer)-\(head).png")
            let shot = try HeadlessChromium.load(url, screenshot: png)
            #expect(shot.console.isEmpty, "\(shot.console)")
            shots.append(try PNGFile.read(from: png))
        }
        #expect(shots.count == 2 && shots[0].pixels != shots[1].pixels, "the two views draw different pictures")

        // The fragment is read in any order and clamped; the view writes it back whole.
        let clamped = try HeadlessChromium.load(URL(string: report.absoluteString + "#head=1&layer=99")!)
        #expect(
            Self.attribute("href", ofElement: "permalink", in: clamped.dom) == "#layer=\(last)&amp;head=1&amp;sample=0")
        #expect(Self.attribute("data-layer", ofElement: "view", in: clamped.dom) == "\(last)")

        // A token in the fragment opens its row and column.
        let token = try HeadlessChromium.load(URL(string: report.absoluteString + "#layer=\(last)&head=0&token=2")!)
        #expect(token.dom.contains("Row 2: what ") && token.dom.contains("Column 2: who attends to "))

        // compare's report: manifests side by side, no map view, no error.
        let comparison = folder.appendingPathComponent("cmp")
        let metrics = out.appendingPathComponent("metrics.json").path
        let compared = try CommandLineRunner.run([
            "compare", metrics, metrics, "--labels", "a,b", "--out", comparison.path, "--quiet",
        ])
        #expect(compared.status == 0, "\(compared.stderr)")
        let page = try HeadlessChromium.load(comparison.appendingPathComponent("report.html"))
        #expect(page.console.isEmpty, "\(page.console)")
        #expect(page.dom.contains("<body data-ready=\"1\">") && page.dom.contains("<th>a</th><th>b</th>"))
    }
}
