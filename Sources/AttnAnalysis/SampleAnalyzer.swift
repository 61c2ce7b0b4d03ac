/// Computes one sample's metrics as a forward pass hands its blocks and hidden states over.
///
/// Streaming: each ``addBlock(layer:heads:kvHeads:headDim:statistics:values:)``
/// and ``addHiddenState(index:tokenCount:hiddenSize:values:)`` call reduces its
/// buffers to metrics at once; a block's attention arrives already reduced per
/// head (``HeadStatisticsAccumulator``), so a run never needs a whole block's maps.
/// Calls may come in any order; ``finish(tokenIDs:tokens:text:)`` checks that
/// blocks `0 … L-1` and states `h[0] … h[L]` all arrived. The key importance
/// `α[l][h][k]` of every key is kept (`L·H·T` doubles) so that sink rates can
/// be asked for at any key and threshold afterwards.
public struct SampleAnalyzer: Sendable {
    /// The sink key and threshold used for `sink_rate` and `layer_sink_rate`.
    public let settings: AnalysisSettings
    /// `α[l][h][k]` by block `l`: one `[T]` array per query head.
    public private(set) var keyImportance: [Int: [[Double]]] = [:]
    private var layers: [Int: LayerMetrics] = [:]
    private var hiddenStates: [Int: HiddenStateMetrics] = [:]
    private var tokenCount: Int?
    private var heads: Int?
    private var hiddenSize: Int?

    /// An analyzer for one sample with the given sink settings.
    public init(settings: AnalysisSettings = AnalysisSettings()) {
        self.settings = settings
    }

    /// Reduces residual state `h[index]` (`[T, D]` row-major, `index = 0 … L`) to its metrics.
    ///
    /// Throws when the buffer size, `T` or `D` disagrees with what came before,
    /// an entry is not finite, or the state was already handed over.
    public mutating func addHiddenState(
        index: Int, tokenCount: Int, hiddenSize: Int, values: UnsafeBufferPointer<Float>
    ) throws {
        let what = "hidden state h[\(index)]"
        guard index >= 0 else { throw AnalysisError.invalidDimension(what: what, name: "index", value: index) }
        guard hiddenStates[index] == nil else { throw AnalysisError.duplicate(what: what) }
        try Self.agree(&self.tokenCount, tokenCount, "\(what) token count")
        try Self.agree(&self.hiddenSize, hiddenSize, "\(what) hidden size")
        let state: HiddenState
        do {
            state = try HiddenState(tokenCount: tokenCount, hiddenSize: hiddenSize, values: values)
        } catch let error as AnalysisError {
            throw error.prefixed(what)
        }
        let norms = state.norms()
        let peak = HiddenState.peak(norms: norms)
        hiddenStates[index] = HiddenStateMetrics(
            hiddenNorm: norms.map(Float.init),
            firstTokenHiddenRatio: firstTokenRatio(norms),
            peakHiddenRatio: peak.ratio,
            peakToken: peak.token,
            tokenSimilarity: state.tokenSimilarity(),
            massiveActivations: index >= 1 ? state.massiveActivations() : nil
        )
    }

    /// Reduces block `layer`'s attention `[H, T, T]` and value states `[G, T, d]` (both row-major) to its metrics.
    /// A causal block with a sliding `window` counts, for each query and key, only the keys and queries the window leaves visible.
    /// With `learnedSinks` each row's missing mass is the dropped sink slot (metrics.md, "Learned sinks").
    /// With `tokenIDs` the duplicate-token and induction scores are computed too;
    /// the value-weighted figures need the output projection and come only from the streamed form.
    ///
    /// The whole-map form of ``addBlock(layer:heads:kvHeads:headDim:statistics:values:)``,
    /// which gives the same metrics. Throws when a buffer size, `T` or `H`
    /// disagrees with what came before, a value is not finite, or the block
    /// was already handed over.
    public mutating func addBlock(
        layer: Int, heads: Int, kvHeads: Int, headDim: Int, tokenCount: Int, causal: Bool, window: Int? = nil,
        learnedSinks: Bool = false, attention: UnsafeBufferPointer<Float>, values: UnsafeBufferPointer<Float>,
        tokenIDs: [Int]? = nil
    ) throws {
        let accumulator: HeadStatisticsAccumulator
        do {
            let map = try AttentionMap(
                heads: heads, tokenCount: tokenCount, causal: causal, window: window, probabilities: attention)
            let mask = AttentionMask(tokenCount: tokenCount, causal: causal, window: window, learnedSinks: learnedSinks)
            accumulator = try HeadStatisticsAccumulator(heads: heads, mask: mask, tokenIDs: tokenIDs)
            map.add(to: accumulator)
        } catch let error as AnalysisError {
            throw error.prefixed("block \(layer)")
        }
        try addBlock(
            layer: layer, heads: heads, kvHeads: kvHeads, headDim: headDim, statistics: accumulator, values: values)
    }

    /// Reduces block `layer`'s attention, already gathered head by head into
    /// `statistics`, and its value states `[G, T, d]` (row-major) to its metrics.
    ///
    /// Throws when a buffer size, `T` or `H` disagrees with what came before,
    /// a value is not finite, or the block was already handed over.
    public mutating func addBlock(
        layer: Int, heads: Int, kvHeads: Int, headDim: Int, statistics accumulator: HeadStatisticsAccumulator,
        values: UnsafeBufferPointer<Float>
    ) throws {
        let what = "block \(layer)"
        let mask = accumulator.mask, tokenCount = mask.tokenCount
        guard layer >= 0 else { throw AnalysisError.invalidDimension(what: what, name: "layer", value: layer) }
        guard layers[layer] == nil else { throw AnalysisError.duplicate(what: what) }
        guard settings.sinkKey >= 0 else {
            throw AnalysisError.invalidDimension(what: "analysis settings", name: "sinkKey", value: settings.sinkKey)
        }
        guard accumulator.heads == heads else {
            throw AnalysisError.inconsistent(
                what: "\(what) attention heads", expected: heads, actual: accumulator.heads)
        }
        try Self.agree(&self.tokenCount, tokenCount, "\(what) token count")
        try Self.agree(&self.heads, heads, "\(what) head count")
        let valueNorms: [Double]
        let statistics: [HeadStatistics]
        do {
            valueNorms = try ValueStates.norms(
                values: values, kvHeads: kvHeads, tokenCount: tokenCount, headDim: headDim)
            statistics = try accumulator.statistics()
        } catch let error as AnalysisError {
            throw error.prefixed(what)
        }
        if let bad = valueNorms.firstIndex(where: { !$0.isFinite }) {
            throw AnalysisError.nonFinite(
                what: "\(what) value states [G, T, d]",
                offset: Self.firstNonFinite(values, token: bad, tokenCount: tokenCount, width: headDim))
        }
        let alpha = statistics.map(\.keyImportance)
        let importance = ColumnImportance(
            keyImportance: alpha, queryCounts: (0..<tokenCount).map(mask.queryCount(key:)))
        keyImportance[layer] = alpha
        layers[layer] = LayerMetrics(
            attentionEntropy: importance.entropy,
            layerSinkRate: Self.sinkFraction(alpha, key: settings.sinkKey, epsilon: settings.sinkEpsilon),
            firstTokenImportance: alpha.reduce(0) { $0 + $1[0] } / Double(heads),
            topKShare: TopKShare(importance),
            topKeys: importance.topKeys,
            valueNorm: valueNorms.map(Float.init),
            valueDrainRatio: firstTokenRatio(valueNorms),
            heads: statistics.map(HeadMetrics.init)
        )
    }

    /// Adds what block `layer`'s value embedding added to its values: gates
    /// and gated-embedding norms `[T, G]` and the values `[G, T, d]` they went
    /// into (see ``ValueEmbeddingMetrics``), after the block itself arrived.
    ///
    /// Throws when the block has not arrived or already has them, or a buffer disagrees with its shape.
    public mutating func addValueEmbedding(
        layer: Int, gates: UnsafeBufferPointer<Float>, gatedNorms: UnsafeBufferPointer<Float>,
        values: UnsafeBufferPointer<Float>, kvHeads: Int, headDim: Int
    ) throws {
        let what = "block \(layer) value embedding"
        guard var metrics = layers[layer] else {
            throw AnalysisError.missing(what: "block \(layer) before its value embedding")
        }
        guard metrics.valueEmbedding == nil else { throw AnalysisError.duplicate(what: what) }
        do {
            metrics.valueEmbedding = try ValueEmbeddingMetrics(
                gates: gates, gatedNorms: gatedNorms, values: values, kvHeads: kvHeads, tokenCount: tokenCount ?? 0,
                headDim: headDim)
        } catch let error as AnalysisError {
            throw error.prefixed("block \(layer)")
        }
        layers[layer] = metrics
    }

    /// Assembles the sample's metrics once every block and hidden state has arrived.
    ///
    /// Throws when block `l < L` or state `h[l]`, `l ≤ L`, is missing (L = one
    /// past the highest block seen), or when `tokenIDs`/`tokens` do not have `T` entries.
    public func finish(tokenIDs: [Int], tokens: [String], text: String?) throws -> SampleMetrics {
        let blockCount = (layers.keys.max() ?? -1) + 1
        guard blockCount > 0 else { throw AnalysisError.missing(what: "block 0") }
        if let gap = (0..<blockCount).first(where: { layers[$0] == nil }) {
            throw AnalysisError.missing(what: "block \(gap)")
        }
        if let gap = (0...blockCount).first(where: { hiddenStates[$0] == nil }) {
            throw AnalysisError.missing(what: "hidden state h[\(gap)]")
        }
        if let extra = hiddenStates.keys.first(where: { $0 > blockCount }) {
            throw AnalysisError.missing(what: "block \(extra - 1) for hidden state h[\(extra)]")
        }
        let t = tokenCount ?? 0
        guard tokenIDs.count == t else {
            throw AnalysisError.inconsistent(what: "token ids", expected: t, actual: tokenIDs.count)
        }
        guard tokens.count == t else {
            throw AnalysisError.inconsistent(what: "tokens", expected: t, actual: tokens.count)
        }
        return SampleMetrics(
            text: text, tokenIDs: tokenIDs, tokens: tokens,
            sinkRate: sinkRate(key: settings.sinkKey, epsilon: settings.sinkEpsilon) ?? 0,
            layers: (0..<blockCount).compactMap { layers[$0] },
            hiddenStates: (0...blockCount).compactMap { hiddenStates[$0] }
        )
    }

    /// `sink_rate(k, ε)`: the fraction of all `(l, h)` pairs seen so far with `α[l][h][k] > ε`; nil before any block.
    ///
    /// A key at or beyond `T` receives no attention and counts as no sink.
    public func sinkRate(key: Int = 0, epsilon: Double = 0.3) -> Double? {
        let all = keyImportance.values.flatMap { $0 }
        return all.isEmpty ? nil : Self.sinkFraction(all, key: key, epsilon: epsilon)
    }

    /// The sink rate of block `layer` alone (fraction of its heads); nil when the block has not arrived.
    public func layerSinkRate(layer: Int, key: Int = 0, epsilon: Double = 0.3) -> Double? {
        keyImportance[layer].map { Self.sinkFraction($0, key: key, epsilon: epsilon) }
    }

    /// The fraction of the heads in `alpha` (one `[T]` importance array each) with importance above `epsilon` at `key`.
    static func sinkFraction(_ alpha: [[Double]], key: Int, epsilon: Double) -> Double {
        guard !alpha.isEmpty else { return 0 }
        let sinks = alpha.count { head in key >= 0 && key < head.count && head[key] > epsilon }
        return Double(sinks) / Double(alpha.count)
    }

    /// The offset of the first non-finite float of token `token` in a `[G, T, width]` buffer.
    private static func firstNonFinite(
        _ buffer: UnsafeBufferPointer<Float>, token: Int, tokenCount: Int, width: Int
    ) -> Int {
        let rows = stride(from: token * width, to: buffer.count, by: tokenCount * width)
        for start in rows {
            if let offset = buffer[start..<start + width].firstIndex(where: { !$0.isFinite }) { return offset }
        }
        return token * width
    }

    /// Records the first value of a dimension, then requires every later one to match it.
    private static func agree(_ stored: inout Int?, _ value: Int, _ what: String) throws {
        if let expected = stored, expected != value {
            throw AnalysisError.inconsistent(what: what, expected: expected, actual: value)
        }
        stored = value
    }
}
