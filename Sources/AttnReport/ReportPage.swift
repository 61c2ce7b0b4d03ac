import AttnRender
import Foundation

/// `report.html`: one self-contained page (style, script, data and figures inline; a
/// Content-Security-Policy that allows no network request) holding a run's manifest, its summary
/// figures as SVG and, when maps were kept, the interactive map view.
public struct ReportPage: Sendable {
    /// Page heading.
    public var title: String
    /// The manifest as a table: a header row, then one row per field.
    public var manifest: [[String]]
    /// The summary figures: file name (shown as the caption) and drawing.
    public var figures: [(name: String, drawing: Drawing)]
    /// The map view, or nil (a comparison).
    public var mapView: MapView?

    /// A page from its parts.
    public init(title: String, manifest: [[String]], figures: [(name: String, drawing: Drawing)], mapView: MapView?) {
        self.title = title
        self.manifest = manifest
        self.figures = figures
        self.mapView = mapView
    }

    /// The interactive view's data: the model's shape, per-head summary columns, kept maps and the
    /// token labels of their samples.
    public struct MapView: Encodable, Sendable {
        /// `layers`, `heads`, `causal`.
        public var model: ModelShape
        /// Names of the per-head summary columns.
        public var headColumns: [String]
        /// `heads[c][l][h]`: column `c` of block `l`, head `h` (nil where undefined).
        public var heads: [[[Double?]]]
        /// The kept maps.
        public var maps: [ReportMap]
        /// Token labels of each sample a map belongs to, keyed by the prompt index.
        public var samples: [String: SampleTokens]
        /// The map colormap (viridis), 256 entries of `rrggbb`.
        public var colormap = Colormap.viridis.table.map { String(format: "%02x", $0) }.joined()
        /// The colour of masked cells (``RGBA/masked``), `rrggbb`, the same grey as the PNG and SVG maps'.
        public var masked = String(RGBA.masked.description.dropFirst())
        /// See ``ReportMap/codeFloor``.
        public var codeFloor = ReportMap.codeFloor

        /// A view of `maps`.
        public init(
            model: ModelShape, headColumns: [String], heads: [[[Double?]]], maps: [ReportMap], samples: [Int: [String]]
        ) {
            self.model = model
            self.headColumns = headColumns
            self.heads = heads
            self.maps = maps
            self.samples = Dictionary(
                uniqueKeysWithValues: samples.map { (String($0.key), SampleTokens(tokens: $0.value)) })
        }
    }

    /// A model's shape as the map view needs it.
    public struct ModelShape: Encodable, Sendable {
        /// Blocks.
        public var layers: Int
        /// Query heads per block.
        public var heads: Int
        /// Whether a query sees only the keys up to its own position.
        public var causal: Bool

        /// A shape from its parts.
        public init(layers: Int, heads: Int, causal: Bool) {
            self.layers = layers
            self.heads = heads
            self.causal = causal
        }
    }

    /// One sample's token labels.
    public struct SampleTokens: Encodable, Sendable {
        /// One label per token position.
        public var tokens: [String]

        /// The labels of one sample.
        public init(tokens: [String]) { self.tokens = tokens }
    }

    /// The page's HTML (UTF-8 text); the same inputs give the same bytes.
    public func html() throws -> String {
        let e = SVGText.escaped
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title)) · attnscope report</title>
            <style>\(ReportStyle.css)</style>
            </head><body>
            <pre id="errors"></pre>
            <script>\(ReportScript.errorHook)</script>
            <h1>\(e(title))</h1>

            """
        if let mapView {
            page += Self.viewMarkup(headColumns: mapView.headColumns)
        }
        page += "<section id=\"manifest\"><h2>Run</h2><table>\n"
        for (r, row) in manifest.enumerated() {
            let cell = r == 0 ? "th" : "td"
            page += "<tr>" + row.map { "<\(cell)>\(e($0))</\(cell)>" }.joined() + "</tr>\n"
        }
        page += "</table></section>\n"
        page += "<section id=\"figures\"><h2>Summary figures</h2>\n"
        for figure in figures {
            page += "<figure>\(try figure.drawing.svgElement())<figcaption>\(e(figure.name))</figcaption></figure>\n"
        }
        page += "</section>\n"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try mapView.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? "{}"
        // `<` only occurs inside JSON strings, where \u003c reads the same; no `</script>` can close the block early.
        page +=
            "<script type=\"application/json\" id=\"report-data\">\(json.replacingOccurrences(of: "<", with: "\\u003c"))</script>\n"
        page += "<script>\(ReportScript.mapView)</script>\n</body></html>\n"
        return page
    }

    /// The map view's controls and placeholders, which the script fills.
    static func viewMarkup(headColumns: [String]) -> String {
        """
        <section id="view" data-layer="0" data-head="0"><h2 id="view-title">Attention maps</h2>
        <p class="controls"><label>block <select id="layer"></select></label><label>head <select id="head"></select></label>\
        <label>sample <select id="sample"></select></label><label>scale <select id="scale"><option value="log">log</option>\
        <option value="linear">linear</option></select></label><a id="permalink" href="#">link to this view</a></p>
        <p id="no-map" hidden></p>
        <div id="map-area"><div id="tokens"></div>
        <div><canvas id="map" width="512" height="512"></canvas>
        <p><span class="swatch" style="background: \(RGBA.masked)"></span> masked (the causal mask or the sliding window hides the key); rows are queries, columns keys</p>
        <p id="scale-note"></p><p id="readout">Hover over the map for a value; click a cell or a token.</p></div>
        <div><div id="row"></div><div id="column"></div></div></div>
        <h3>Heads of this block (mean over samples)</h3>
        <table id="heads"><thead><tr><th>head</th>\(headColumns.map { "<th>\(SVGText.escaped($0))</th>" }.joined())</tr></thead><tbody id="heads-body"></tbody></table>
        </section>

        """
    }
}
