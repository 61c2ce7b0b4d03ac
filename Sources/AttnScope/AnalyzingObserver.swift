import AttnAnalysis
import AttnModel
import Foundation

/// The `.npy` file of sample `sample`'s block `layer` maps.
package func attentionFileName(sample: Int, layer: Int) -> String {
    String(format: "sample-%03d-layer-%02d.npy", sample, layer)
}

/// Feeds the probe's observations into a ``SampleAnalyzer`` and writes the
/// selected blocks' maps.
///
/// A block's attention is reduced head by head as the model computes it (a
/// ``HeadStatisticsAccumulator`` fed a block of query rows at a time); the
/// whole `[H, T, T]` map is asked for only for the blocks whose maps are saved.
/// With the sample's token ids it scores head roles, and it asks for each
/// head's value and output norms (value-weighted attention).
public struct AnalyzingObserver: ProbeObserver {
    /// The analyzer the observations go to; `finish` it after the pass.
    public var analyzer: SampleAnalyzer
    /// The sample's repeated tokens, built once and shared by every block's accumulator.
    let repeats: TokenRepeats?
    let headNorms: Bool
    let saveLayers: Set<Int>
    let directory: URL?
    let sample: Int
    private var pending: (layer: Int, statistics: StatisticsConsumer)?

    /// Each observer reduces into its own analyzer and writes its own sample's files.
    public static var observesConcurrently: Bool { true }

    /// An observer of the prompt `tokenIDs` (nil: no duplicate-token or
    /// induction scores), writing block `l`'s maps of sample `sample` to
    /// `directory` for `l` in `saveLayers`. Without `headNorms` the
    /// value-weighted figures are left out (AttnBenchmarks measures their cost so).
    public init(
        analyzer: SampleAnalyzer, tokenIDs: [Int]?, headNorms: Bool = true, saveLayers: Set<Int> = [],
        directory: URL? = nil,
        sample: Int = 0
    ) {
        self.analyzer = analyzer
        repeats = tokenIDs.map(TokenRepeats.init(tokenIDs:))
        self.headNorms = headNorms
        self.saveLayers = saveLayers
        self.directory = directory
        self.sample = sample
    }

    /// Reduces a hidden state `h[l]` to its metrics.
    public mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {
        let (index, tokens, size) = (hidden.index, hidden.tokenCount, hidden.hiddenSize)
        try hidden.withValues { span in
            try span.withUnsafeBufferPointer {
                try analyzer.addHiddenState(index: index, tokenCount: tokens, hiddenSize: size, values: $0)
            }
        }
    }

    /// Asks for the block's attention rows (and its whole map when the block is saved).
    public mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest {
        let mask = AttentionMask(
            tokenCount: layout.tokenCount, causal: layout.causal, window: layout.window,
            learnedSinks: layout.learnedSinks)
        let consumer = StatisticsConsumer(
            try HeadStatisticsAccumulator(heads: layout.heads, mask: mask, repeats: repeats))
        pending = (layout.layer, consumer)
        return AttentionRequest(
            rows: consumer, wholeMap: directory != nil && saveLayers.contains(layout.layer), headNorms: headNorms)
    }

    /// Reduces the finished block's values and statistics, and writes its map when saved.
    public mutating func block(_ capture: borrowing BlockCapture) throws {
        let (layer, heads, kvHeads, headDim, tokens) = (
            capture.layer, capture.heads, capture.kvHeads, capture.headDim, capture.tokenCount
        )
        guard let pending, pending.layer == layer else {
            throw ScopeError.badInput("block \(layer) arrived before its attention was announced")
        }
        self.pending = nil
        let accumulator = pending.statistics.accumulator
        try capture.withValues { values in
            try values.withUnsafeBufferPointer { v in
                try analyzer.addBlock(
                    layer: layer, heads: heads, kvHeads: kvHeads, headDim: headDim, statistics: accumulator, values: v)
                try capture.withValueEmbedding { gates, norms in
                    try gates.withUnsafeBufferPointer { g in
                        try norms.withUnsafeBufferPointer { n in
                            try analyzer.addValueEmbedding(
                                layer: layer, gates: g, gatedNorms: n, values: v, kvHeads: kvHeads, headDim: headDim)
                        }
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

/// Hands a block's attention rows to a ``HeadStatisticsAccumulator`` as the model lends them.
final class StatisticsConsumer: AttentionRowConsumer {
    let accumulator: HeadStatisticsAccumulator

    init(_ accumulator: HeadStatisticsAccumulator) {
        self.accumulator = accumulator
    }

    func consume(_ rows: borrowing AttentionRows) {
        let (head, first, count, keys) = (rows.head, rows.firstQuery, rows.queryCount, rows.keys)
        rows.withProbabilities { probabilities in
            rows.withEntropies { entropies in
                probabilities.withUnsafeBufferPointer { p in
                    entropies.withUnsafeBufferPointer { h in
                        let measured: Void? = rows.withHeadNorms { keyNorms, outputNorms in
                            keyNorms.withUnsafeBufferPointer { nu in
                                outputNorms.withUnsafeBufferPointer { o in
                                    accumulator.add(
                                        head: head, firstQuery: first, queryCount: count, keys: keys, probabilities: p,
                                        entropies: h,
                                        keyNorms: nu, outputNorms: o)
                                }
                            }
                        }
                        if measured == nil {
                            accumulator.add(
                                head: head, firstQuery: first, queryCount: count, keys: keys, probabilities: p,
                                entropies: h)
                        }
                    }
                }
            }
        }
    }
}
