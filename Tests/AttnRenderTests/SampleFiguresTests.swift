import Foundation
import Testing
@testable import AttnRender

/// Writes one of every figure under the temporary folder so a person can look at them.
@Suite struct SampleFiguresTests {
    @Test func writesSampleAttentionMaps() throws {
        for t in [12, 64, 300] {
            let figure = try AttentionMapFigure(
                map: TestMaps.causalSink(t), rowLabels: TestMaps.tokens(t), columnLabels: TestMaps.tokens(t),
                title: "Layer 3, head 5 (T=\(t))")
            try figure.write(to: TestMaps.url("sample-map-\(t).png"))
        }
        let heads = (0..<9).map { TestMaps.causalSink(48, sink: Float($0) / 9) }
        try MapGridFigure.heads(of: heads, layer: 4).write(to: TestMaps.url("sample-heads.png"))
        let atlas = (0..<30).map { l in (0..<9).map { h in TestMaps.causalSink(40, sink: Float((l + h) % 10) / 10) } }
        try MapGridFigure.atlas(atlas).write(to: TestMaps.url("sample-atlas.png"))
    }

    @Test func writesSampleCharts() throws {
        var importance = [Float]()
        for l in 0..<30 {
            for h in 0..<9 {
                let wave = Float((l * 7 + h * 3) % 10)
                importance.append(l < 2 ? Float(h) * 0.05 : min(1, 0.5 + 0.05 * wave))
            }
        }
        try ScalarGridFigure(
            values: Matrix(rows: 30, cols: 9, values: importance), title: "Sink atlas: first-token importance",
            metricName: "first_token_importance"
        ).write(to: TestMaps.url("sample-sink-atlas.png"))
        let a: [Float] = (0..<30).map { l in Float(3 + sin(Double(l) / 4)) }
        let b: [Float] = (0..<30).map { l in Float(2.5 + cos(Double(l) / 5)) }
        try LineChartFigure(
            series: [
                LineSeries(name: "SmolLM2-135M", values: a, sd: a.map { _ in 0.3 }),
                LineSeries(name: "ResFormer-tiny", values: b, sd: b.map { _ in 0.2 }),
                LineSeries(name: "baseline", values: a.map { $0 - 1 }),
            ],
            title: "Attention entropy by layer", yLabel: "attention_entropy (nats)",
            referenceLines: [(2.0, "reference 2.0")]
        ).write(to: TestMaps.url("sample-lines.png"))
        var norms: [Float] = [480]
        for t in 1..<64 { norms.append(Float(12 + (t * 37) % 11)) }
        try BarChartFigure(
            values: norms, labels: TestMaps.tokens(64), title: "Layer 5: hidden norm by token",
            yLabel: "hidden_norm"
        ).write(to: TestMaps.url("sample-bars.png"))
        try BarChartFigure(
            values: norms, labels: TestMaps.tokens(64), title: "Layer 5: hidden norm by token (log)",
            yLabel: "hidden_norm", logarithmic: true
        ).write(to: TestMaps.url("sample-bars-log.png"))
    }
}
