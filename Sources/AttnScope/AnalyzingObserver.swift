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

    public mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {
        let (index, tokens, size) = (hidden.index, hidden.tokenCount, hidden.hiddenSize)
        try hidden.withValues { span in
            try span.withUnsafeBufferPointer { try analyzer.addHiddenState(index: index, tokenCount: tokens, hiddenSize: size, values: $0) }
        }
    }

    public mutating func block(_ capture: borrowing BlockCapture) throws {
        let (layer, heads, kvHeads, headDim, tokens, causal, window) =
            (capture.layer, capture.heads, capture.kvHeads, capture.headDim, capture.tokenCount, capture.causal, capture.window)
        try capture.withAttention { attention in
            try capture.withValues { values in
                try attention.withUnsafeBufferPointer { a in
                    try values.withUnsafeBufferPointer { v in
                        try analyzer.addBlock(
                            layer: layer, heads: heads, kvHeads: kvHeads, headDim: headDim,
                            tokenCount: tokens, causal: causal, window: window, attention: a, values: v)
                    }
                }
            }
        }
        try embeddings(capture.hidden)
        if let directory, saveLayers.contains(layer) {
            let url = directory.appendingPathComponent(attentionFileName(sample: sample, layer: layer))
            try capture.withAttention { span in
                try span.withUnsafeBufferPointer { try NPYFile.write($0, shape: [heads, tokens, tokens], to: url) }
            }
        }
    }
}
