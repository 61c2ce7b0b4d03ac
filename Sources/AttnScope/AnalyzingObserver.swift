import AttnAnalysis
import AttnModel
import Foundation

/// The `.npy` file of sample `sample`'s block `layer` maps.
public func attentionFileName(sample: Int, layer: Int) -> String {
    String(format: "sample-%03d-layer-%02d.npy", sample, layer)
}

/// Feeds the probe's observations into a ``SampleAnalyzer`` and writes the
/// selected blocks' maps.
public struct AnalyzingObserver: ProbeObserver {
    public var analyzer: SampleAnalyzer
    let saveLayers: Set<Int>
    let directory: URL?
    let sample: Int

    /// An observer writing block `l`'s maps of sample `sample` to `directory` for `l` in `saveLayers`.
    public init(analyzer: SampleAnalyzer, saveLayers: Set<Int> = [], directory: URL? = nil, sample: Int = 0) {
        self.analyzer = analyzer
        self.saveLayers = saveLayers
        self.directory = directory
        self.sample = sample
    }

    public mutating func embeddings(_ hidden: HiddenStateView) throws {
        try analyzer.addHiddenState(index: hidden.index, tokenCount: hidden.tokenCount, hiddenSize: hidden.hiddenSize, values: hidden.values)
    }

    public mutating func block(_ capture: BlockCapture) throws {
        try analyzer.addBlock(
            layer: capture.layer, heads: capture.heads, kvHeads: capture.kvHeads, headDim: capture.headDim,
            tokenCount: capture.tokenCount, causal: capture.causal, attention: capture.attention, values: capture.values
        )
        let h = capture.hidden
        try analyzer.addHiddenState(index: h.index, tokenCount: h.tokenCount, hiddenSize: h.hiddenSize, values: h.values)
        if let directory, saveLayers.contains(capture.layer) {
            let url = directory.appendingPathComponent(attentionFileName(sample: sample, layer: capture.layer))
            try NPYFile.write(capture.attention, shape: [capture.heads, capture.tokenCount, capture.tokenCount], to: url)
        }
    }
}
