import AttnAnalysis
import AttnRender
import Foundation

/// The figures of what heads do (issue 18): what a sink takes from token 0, and each head's role.
extension StandardFigures {
    /// The per-block charts of the per-head metrics (means over heads), which `compare` carries too.
    static let headCharts: [Chart] = [
        Chart(
            file: "value-weighted-share-by-layer.png", title: "Value-weighted first-token share by layer",
            yLabel: "token 0's share of |A·v·W_O|", figure: .valueWeightedFirstTokenShare),
        Chart(
            file: "head-output-norm-by-layer.png", title: "Head output norm |o·W_O^h| by layer",
            yLabel: "mean over heads", figure: .headOutputNorm),
        Chart(
            file: "previous-token-score-by-layer.png", title: "Previous-token score by layer",
            yLabel: "attention on i − 1", figure: .previousTokenScore),
        Chart(
            file: "duplicate-token-score-by-layer.png", title: "Duplicate-token score by layer",
            yLabel: "attention on earlier copies", figure: .duplicateTokenScore),
        Chart(
            file: "induction-score-by-layer.png", title: "Induction score by layer",
            yLabel: "attention on tokens after copies", figure: .inductionScore),
        // Without learned sink logits the sink mass is rounding (|mean| about 1e-9): drawn only for a model that has them.
        Chart(
            file: "sink-mass-by-layer.png", title: "Sink mass (attention rows' shortfall from 1) by layer",
            yLabel: "mean of 1 − row sum", figure: .sinkMass, shownAbove: 1e-6),
    ]

    /// The colours of the head-role atlas, one per ``HeadRole`` in `allCases` order (dormant dark, none white).
    static let roleLegend = CategoryLegend(
        entries: HeadRole.allCases.map { role in
            let color: RGBA =
                switch role {
                case .dormant: .darkGray
                case .induction: Palette.color(3)
                case .previousToken: Palette.color(0)
                case .duplicate: Palette.color(2)
                case .sink: Palette.color(1)
                case .none: .white
                }
            return CategoryLegend.Entry(name: role.rawValue.replacingOccurrences(of: "_", with: " "), color: color)
        })

    /// The value-weighted atlas, the sink atlas beside it, and the head-role atlas of one document.
    static func headAtlases(_ document: MetricsDocument) throws -> [FigureFile] {
        let n = document.summary.samples, marks = globalBlockMarks(document.model)
        let suffix = n > 1 ? " (mean over \(n) samples)" : ""
        let share = MetricName.valueWeightedFirstTokenShare
        let weighted = FigureFile(
            name: "value-weighted-atlas.png",
            drawing: try ScalarGridFigure(
                values: try headMatrix(document, share), title: "Value-weighted first-token share" + suffix,
                metricName: "token 0's share of |A·v·W_O|", colormap: .magma, scale: MetricRange.colorScale(share),
                marks: marks
            ).drawing())
        let pair = try [.firstTokenImportance, share].map { metric in
            AtlasComparisonFigure.Panel(
                title: metric == share ? "value-weighted first-token share" : "first-token importance",
                values: try headMatrix(document, metric), marks: marks)
        }
        let gap = FigureFile(
            name: "sink-vs-value-weighted-atlas.png",
            drawing: try AtlasComparisonFigure(
                panels: pair,
                title:
                    "What sinks get and what they take: attention on token 0 vs token 0's share of the value-weighted attention"
                    + suffix,
                metricName: "share", colormap: .magma, scale: .linear(min: 0, max: 1)
            ).drawing())
        let roles = document.headRoles, heads = document.model.heads
        var indices = [Float](repeating: .nan, count: roles.count * heads)
        for (l, layer) in roles.enumerated() {
            for (h, head) in layer.enumerated() where h < heads {
                indices[l * heads + h] = Float(HeadRole.allCases.firstIndex(of: head.role) ?? 0)
            }
        }
        let atlas = FigureFile(
            name: "head-role-atlas.png",
            drawing: try ScalarGridFigure(
                categories: try Matrix(rows: roles.count, cols: heads, values: indices, name: "layers × heads"),
                legend: roleLegend,
                title: "Head roles" + (n > 1 ? " over \(n) samples" : "") + " (thresholds in settings.head_roles)",
                marks: marks
            ).drawing())
        return [weighted, gap, atlas]
    }

    /// `compare`'s value-weighted atlases side by side.
    static func valueWeightedComparison(_ runs: [(label: String, document: MetricsDocument)]) throws -> FigureFile {
        let metric = MetricName.valueWeightedFirstTokenShare
        let panels = try runs.map { run in
            AtlasComparisonFigure.Panel(
                title: run.label, values: try headMatrix(run.document, metric),
                marks: globalBlockMarks(run.document.model))
        }
        return FigureFile(
            name: "value-weighted-atlas-side-by-side.png",
            drawing: try AtlasComparisonFigure(
                panels: panels, title: "Value-weighted first-token share by block and head",
                metricName: "token 0's share of |A·v·W_O|",
                colormap: .magma, scale: MetricRange.colorScale(metric)
            ).drawing())
    }
}
