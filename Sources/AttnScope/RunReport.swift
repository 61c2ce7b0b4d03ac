import AttnAnalysis
import AttnCheckpoint
import AttnReport
import Foundation

/// Writes `report.html` (``ReportPage``) for a run folder or a comparison.
///
/// The page carries the summary figures and, for a run, the saved maps in
/// this order until ``cellBudget`` cells are used: the first sample with
/// saved maps, its figure blocks (first, middle, last) first, then its
/// other blocks, then the following samples. Each map is block-averaged to
/// at most ``ReportMap/maxSide`` cells a side.
package enum RunReport {
    /// The report's name in a run folder.
    package static let fileName = "report.html"
    /// The most map cells (heads × side²) a report carries: 2²¹, 4 MiB of codes, 5.6 MB as base64.
    package static let cellBudget = 1 << 21

    /// Writes the report of the run whose `metrics.json` is at `url` (samples and `attention/` beside it) to `destination`.
    package static func write(
        _ document: MetricsDocument, at url: URL, label: String, figures: [FigureFile], to destination: URL
    ) throws {
        let model = document.model
        let view = ReportPage.MapView(
            model: ReportPage.ModelShape(layers: model.layers, heads: model.heads, causal: model.causal),
            headColumns: HeadMetrics.summaryFigures.map(\.name.rawValue),
            heads: HeadMetrics.summaryFigures.map { figure in
                document.summary.heads.map { layer in layer.map { $0[figure.name].mean } }
            },
            maps: [], samples: [:])
        let page = ReportPage(
            title: label, manifest: manifest(document, label: label),
            figures: figures.map { ($0.name, $0.drawing) }, mapView: try withMaps(view, document, at: url))
        try OutputFile.write(Data(try page.html().utf8), to: destination)
    }

    /// Writes the report of a comparison: each run's manifest side by side and the comparison figures.
    package static func writeComparison(
        _ runs: [(label: String, document: MetricsDocument)], figures: [FigureFile], to destination: URL
    ) throws {
        let tables = runs.map { manifest($0.document, label: $0.label) }
        var rows = [["field"] + runs.map(\.label)]
        for r in 1..<(tables.first?.count ?? 1) {
            rows.append([tables[0][r][0]] + tables.map { $0[r][1] })
        }
        let page = ReportPage(
            title: "Comparison: " + runs.map(\.label).joined(separator: ", "), manifest: rows,
            figures: figures.map { ($0.name, $0.drawing) }, mapView: nil)
        try OutputFile.write(Data(try page.html().utf8), to: destination)
    }

    /// The manifest as a two-column table, the same fields for every run (the checkpoint by its file name, not its path).
    static func manifest(_ document: MetricsDocument, label: String) -> [[String]] {
        let run = document.run, model = run.model, settings = run.settings
        let global = model.globalBlocks.map { "; global blocks \(BlockRanges.text($0))" } ?? ""
        let window: String =
            model.slidingWindow.map { "\($0) tokens in \(model.slidingBlocks ?? 0) blocks" + global } ?? "none"
        let maxTokens: String = settings.maxTokens.map(String.init) ?? "none"
        let sinkRate: String = document.summary.sinkRate.mean.map { String(format: "%.4f", $0) } ?? "undefined"
        let rows: [[String]] = [
            ["field", "value"],
            ["label", label],
            ["checkpoint", URL(fileURLWithPath: model.path).lastPathComponent],
            ["checkpoint digest", run.checkpointDigest],
            ["attnscope version", run.attnscopeVersion],
            [
                "model",
                "\(model.family) (\(model.format)), variant \(model.variant)"
                    + (model.counterfactual.map { " (counterfactual: \($0))" } ?? ""),
            ],
            [
                "shape",
                "\(model.layers) blocks, \(model.heads) heads, \(model.kvHeads) kv heads, head size \(model.headDim), width \(model.hiddenSize)",
            ],
            ["parameters", "\(model.parameters)"],
            ["attention", model.causal ? "causal" : "bidirectional"],
            ["sliding window", window],
            ["tokenizer", model.tokenizer ?? "none"],
            [
                "settings",
                "sink ε \(settings.sinkEpsilon), max tokens \(maxTokens), BOS \(settings.addBOS), variant \(settings.variant)",
            ],
            ["prompts", "\(run.prompts.count) (digest \(run.prompts.digest))"],
            ["shard", run.shard.map(\.description) ?? "whole run"],
            ["samples", "\(document.summary.samples)"],
            ["sink rate", sinkRate],
        ]
        return rows
    }

    /// `view` with the saved maps the budget allows and the token labels of their samples.
    static func withMaps(
        _ view: ReportPage.MapView, _ document: MetricsDocument, at url: URL
    ) throws -> ReportPage.MapView {
        let model = document.model
        let attention = url.deletingLastPathComponent().appendingPathComponent("attention", isDirectory: true)
        let saved = StandardFigures.savedMaps(in: attention, layers: model.layers)
        guard !saved.isEmpty else { return view }
        var tokens: [Int: [String]] = [:]
        try document.forEachSample(besides: url) { record in
            if saved[record.index] != nil { tokens[record.index] = record.sample.tokens }
        }
        let figureLayers = Set(LayerSelection.figures.layers(of: model.layers))
        var used = 0
        var maps: [ReportMap] = []
        for sample in saved.keys.sorted() {
            guard let labels = tokens[sample] else { continue }
            let t = labels.count
            for layer in saved[sample, default: []].sorted(by: {
                (figureLayers.contains($0) ? 0 : 1, $0) < (figureLayers.contains($1) ? 0 : 1, $1)
            }) {
                let cells = ReportMap.cells(heads: model.heads, tokens: t)
                guard used + cells <= cellBudget else { continue }
                let source = attention.appendingPathComponent(attentionFileName(sample: sample, layer: layer))
                let (values, shape) = try NPYFile.read(from: source)
                guard shape == [model.heads, t, t] else {
                    throw ScopeError.badInput(
                        "\(source.path): shape \(shape) does not match sample \(sample) (\(model.heads) heads, \(t) tokens)"
                    )
                }
                maps.append(
                    try ReportMap(
                        sample: sample, layer: layer, heads: model.heads, tokens: t, values: values,
                        window: model.blockWindows.map { $0[layer] } ?? model.slidingWindow))
                used += cells
            }
        }
        var result = view
        result.maps = maps
        result.samples = Dictionary(
            uniqueKeysWithValues: Set(maps.map(\.sample)).map {
                (String($0), ReportPage.SampleTokens(tokens: tokens[$0] ?? []))
            })
        return result
    }
}
