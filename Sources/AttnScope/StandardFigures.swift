import AttnAnalysis
import AttnCheckpoint
import AttnRender
import Foundation

/// The figures `analyze`, `compare` and `render` write, drawn from
/// `metrics.json` documents and the `.npy` maps beside them, so that
/// `render` reproduces exactly what `analyze` wrote.
package enum StandardFigures {
    /// One per-layer metric drawn as a line chart.
    struct Chart {
        var file: String
        var title: String
        var yLabel: String
        /// The summary figure drawn (a key of `summary.layers[l]`, or of `summary.hidden_states[l]` when ``hiddenStates``).
        var figure: MetricName
        /// True when the x axis is hidden states h[0…L] rather than blocks.
        var hiddenStates = false
        var referenceLine: (value: Float, label: String)?
        /// Drawn only when some run's mean exceeds this in magnitude at some block (nil: always).
        var shownAbove: Double?
    }

    static func charts(epsilon: Double) -> [Chart] {
        [
            Chart(
                file: "entropy-by-layer.png", title: "Attention entropy (column importance) by layer",
                yLabel: "entropy (nats)", figure: .attentionEntropy),
            Chart(
                file: "first-token-importance-by-layer.png", title: "First-token importance by layer",
                yLabel: "mean attention to token 0", figure: .firstTokenImportance),
            Chart(
                file: "sink-rate-by-layer.png", title: "Sink rate by layer (ε = \(epsilon))",
                yLabel: "fraction of heads", figure: .layerSinkRate),
            Chart(
                file: "value-drain-by-layer.png", title: "Value drain: token 0's value norm / others'",
                yLabel: "value drain ratio", figure: .valueDrainRatio, referenceLine: (1, "no drain")),
            Chart(
                file: "hidden-peak-by-layer.png", title: "Residual peak: max / median hidden norm",
                yLabel: "peak hidden ratio", figure: .peakHiddenRatio, hiddenStates: true),
            Chart(
                file: "token-similarity-by-layer.png", title: "Token similarity (mean pairwise cosine)",
                yLabel: "cosine similarity", figure: .tokenSimilarity, hiddenStates: true),
        ] + headCharts
    }

    /// The per-layer line charts, one line per run.
    static func layerCharts(_ runs: [(label: String, document: MetricsDocument)]) throws -> [FigureFile] {
        guard let first = runs.first?.document else { return [] }
        let shown = charts(epsilon: first.settings.sinkEpsilon).filter { chart in
            chart.shownAbove.map { floor in
                runs.contains { $0.document.summary.layers.contains { abs($0[chart.figure].mean ?? 0) > floor } }
            } ?? true
        }
        return try shown.map { chart in
            let series = try runs.map { label, document in
                let statistics = (chart.hiddenStates ? document.summary.hiddenStates : document.summary.layers).map {
                    $0[chart.figure]
                }
                return try LineSeries(
                    name: label,
                    values: statistics.map { Float($0.mean ?? .nan) },
                    sd: statistics.map { Float($0.sd ?? 0) }
                )
            }
            let counts = Set(runs.map(\.document.summary.samples))
            let samples = counts.count == 1 ? counts.first ?? 0 : nil  // runs of different sizes: no single count
            let suffix =
                samples.map { $0 > 1 ? " (mean ± sd, \($0) samples)" : "" } ?? " (mean ± sd over each run's samples)"
            let figure = try LineChartFigure(
                series: series, title: chart.title + suffix,
                xLabel: chart.hiddenStates ? "hidden state h[l]" : "layer", yLabel: chart.yLabel,
                referenceLines: chart.referenceLine.map { [$0] } ?? [], valueRange: MetricRange.of(chart.figure),
                marks: chart.hiddenStates ? nil : blockMarks(runs)
            )
            return FigureFile(name: chart.file, drawing: try figure.drawing())
        }
    }

    /// The mean over samples of the per-head figure `figure` (`summary.heads`), as a layers × heads matrix.
    static func headMatrix(_ document: MetricsDocument, _ figure: MetricName) throws -> Matrix {
        let layers = document.model.layers, heads = document.model.heads
        var means = [Float](repeating: .nan, count: layers * heads)
        for (l, layer) in document.summary.heads.enumerated() where l < layers {
            for (h, head) in layer.enumerated() where h < heads {
                means[l * heads + h] = Float(head[figure].mean ?? .nan)
            }
        }
        return try Matrix(rows: layers, cols: heads, values: means, name: "layers × heads")
    }

    /// The sink atlas (first-token importance) and the normalized-entropy
    /// atlas of one document.
    static func atlases(_ document: MetricsDocument) throws -> [FigureFile] {
        let n = document.summary.samples
        let suffix = n > 1 ? " (mean over \(n) samples)" : ""
        let atlases = [
            (
                "sink-atlas.png", "Sink atlas: first-token importance" + suffix, "first-token importance",
                MetricName.firstTokenImportance, Colormap.magma
            ),
            (
                "entropy-atlas.png", "Normalized head entropy" + suffix, "normalized entropy", .normalizedHeadEntropy,
                Colormap.viridis
            ),
        ]
        return try atlases.map { file, title, caption, metric, colormap in
            FigureFile(
                name: file,
                drawing: try ScalarGridFigure(
                    values: try headMatrix(document, metric), title: title, metricName: caption, colormap: colormap,
                    scale: MetricRange.colorScale(metric), marks: globalBlockMarks(document.model)
                ).drawing())
        }
    }

    /// The run's first sample's value-norm and hidden-norm profiles across tokens at the middle block.
    static func profiles(_ record: SampleRecord) throws -> [FigureFile] {
        let sample = record.sample, s = record.index
        guard !sample.layers.isEmpty else { return [] }
        let layer = sample.layers.count / 2
        let hiddenIndex = layer + 1
        var figures = [
            FigureFile(
                name: String(format: "value-norm-layer-%02d.png", layer),
                drawing: try BarChartFigure(
                    values: sample.layers[layer].valueNorm, labels: sample.tokens,
                    title: "Value norm by token, layer \(layer), sample \(s)", yLabel: "value norm (mean over kv heads)"
                ).drawing())
        ]
        if hiddenIndex < sample.hiddenStates.count {
            figures.append(
                FigureFile(
                    name: String(format: "hidden-norm-h%02d.png", hiddenIndex),
                    drawing: try BarChartFigure(
                        values: sample.hiddenStates[hiddenIndex].hiddenNorm, labels: sample.tokens,
                        title: "Hidden-state norm by token, h[\(hiddenIndex)] (after layer \(layer)), sample \(s)",
                        yLabel: "hidden norm", logarithmic: true
                    ).drawing()))
        }
        return figures
    }

    /// Every figure of one analysis, each as PNG and SVG, from the
    /// `metrics.json` at `url` and the samples and `attention/` maps beside
    /// it: per-layer charts, atlases, the first sample's profiles and the
    /// maps `selection` names (every saved map when nil; a selected map that
    /// was not saved is a usage error). Reads the samples one at a time.
    /// Returns the files written and the figures other than maps (what a
    /// report shows).
    package static func writeAll(
        _ document: MetricsDocument, at url: URL, label: String, maps selection: MapSelection? = nil, to directory: URL
    ) throws -> (files: [URL], summaries: [FigureFile]) {
        try requireSamples(document, at: url)
        let attention = url.deletingLastPathComponent().appendingPathComponent("attention", isDirectory: true)
        let drawn = try drawnMaps(
            document, saved: savedMaps(in: attention, layers: document.model.layers), selection: selection)
        var first: SampleRecord?
        var maps: [URL] = []
        try OutputFile.makeFolder(directory)  // a symlinked figures/ is refused
        try document.forEachSample(besides: url) { record in
            if first == nil { first = record }
            if let layers = drawn[record.index] {
                maps += try writeAttentionMaps(
                    record, layers: layers, heads: selection?.heads, model: document.model,
                    attentionDirectory: attention, to: directory)
            }
        }
        let summaries =
            try layerCharts([(label, document)]) + atlases(document) + headAtlases(document)
            + (first.map { try profiles($0) } ?? [])
        return (try summaries.flatMap { try $0.write(to: directory) } + maps, summaries)
    }

    /// `compare`'s figures, each as PNG and SVG: per-layer charts with one
    /// line per run, and the sink atlases side by side. Returns the files
    /// written and the figures.
    package static func writeComparison(
        _ runs: [(label: String, document: MetricsDocument)], to directory: URL
    ) throws -> (files: [URL], summaries: [FigureFile]) {
        for run in runs { try requireSamples(run.document, at: URL(fileURLWithPath: run.label)) }
        let metric = MetricName.firstTokenImportance
        let panels = try runs.map { run in
            AtlasComparisonFigure.Panel(
                title: run.label, values: try headMatrix(run.document, metric),
                marks: globalBlockMarks(run.document.model))
        }
        try OutputFile.makeFolder(directory)  // a symlinked figures/ is refused
        let atlas = FigureFile(
            name: "sink-atlas-side-by-side.png",
            drawing: try AtlasComparisonFigure(
                panels: panels, title: "Sink atlas: first-token importance by block and head",
                metricName: "first-token importance",
                colormap: .magma, scale: MetricRange.colorScale(metric)
            ).drawing())
        let summaries = try layerCharts(runs) + [atlas, valueWeightedComparison(runs)]
        return (try summaries.flatMap { try $0.write(to: directory) }, summaries)
    }

    /// The global blocks of the first run whose model has sliding-window ones, named after that run
    /// when the runs sharing the chart do not all have those global blocks.
    static func blockMarks(_ runs: [(label: String, document: MetricsDocument)]) -> BlockMarks? {
        guard let run = runs.first(where: { globalBlockMarks($0.document.model) != nil }),
            var marks = globalBlockMarks(run.document.model)
        else { return nil }
        if runs.contains(where: { globalBlockMarks($0.document.model) != marks }) {
            marks.label = "global block of \(TextStyle.truncated(run.label, to: 24))"
        }
        return marks
    }

    /// The global blocks of a model that also has sliding-window ones, as marks for a block axis; nil otherwise.
    static func globalBlockMarks(_ model: ModelInfo) -> BlockMarks? {
        guard let windows = model.blockWindows, windows.contains(where: { $0 != nil }),
            windows.contains(where: { $0 == nil })
        else { return nil }
        return BlockMarks(
            blocks: windows.indices.filter { windows[$0] == nil }, label: "global block (no sliding window)")
    }

    /// Refuses a document of no samples (an empty shard): there is nothing to draw.
    static func requireSamples(_ document: MetricsDocument, at url: URL) throws {
        guard document.summary.samples > 0 else {
            throw ScopeError.badInput(
                "\(url.path): the run holds no samples (an empty shard); merge it with the other shards first")
        }
    }
}
