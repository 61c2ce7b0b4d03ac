/// What a block's value embedding adds to its values (nanochat's gated
/// value embeddings; JSON `layers[l].value_embedding`, left out on blocks
/// without one).
///
/// Per kv head `g`: the mean gate, and the embedding's share of the value
/// norm `‖gate·ve‖₂ / ‖v‖₂` (with `v` the value attention consumes, after the
/// embedding is added), at token 0 apart from the mean over tokens `t ≥ 1`:
/// the sink token's value is where a drain would show.
public struct ValueEmbeddingMetrics: Codable, Equatable, Sendable {
    /// `value_embedding_gate[g]`: the gate `3·sigmoid(…)` averaged over tokens, `G` entries.
    public var gate: [Double]
    /// `value_embedding_first_token_share[g]`: the share at token 0; null where `‖v‖ = 0`.
    public var firstTokenShare: [Double?]
    /// `value_embedding_share[g]`: the share averaged over tokens `t ≥ 1` with `‖v‖ > 0`; null when there are none.
    public var share: [Double?]

    /// The metrics of gates and gated-embedding norms `[T, G]` (token `t`, kv
    /// head `g` at `t·G + g`) and the values they went into, `[G, T, d]`.
    ///
    /// Throws when a buffer's size disagrees with `G`, `T` and `d`, or an entry is not finite.
    public init(
        gates: UnsafeBufferPointer<Float>, gatedNorms: UnsafeBufferPointer<Float>, values: UnsafeBufferPointer<Float>,
        kvHeads: Int, tokenCount: Int, headDim: Int
    ) throws {
        let what = "value embedding"
        for (name, value) in [("kvHeads", kvHeads), ("tokenCount", tokenCount), ("headDim", headDim)] where value <= 0 {
            throw AnalysisError.invalidDimension(what: what, name: name, value: value)
        }
        let (rows, overflow1) = kvHeads.multipliedReportingOverflow(by: tokenCount)
        let (expected, overflow2) = rows.multipliedReportingOverflow(by: headDim)
        guard !overflow1, !overflow2, values.count == expected else {
            throw AnalysisError.bufferSize(what: "\(what) values [G, T, d]", expected: expected, actual: values.count)
        }
        for (name, buffer) in [("gates", gates), ("gated norms", gatedNorms)] {
            guard buffer.count == rows else {
                throw AnalysisError.bufferSize(what: "\(what) \(name) [T, G]", expected: rows, actual: buffer.count)
            }
            if let bad = buffer.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw AnalysisError.nonFinite(what: "\(what) \(name) [T, G]", offset: bad)
            }
        }
        let gateRows = gates
        var gate: [Double] = [], firstTokenShare: [Double?] = [], share: [Double?] = []
        for g in 0..<kvHeads {
            var gates = 0.0, shares = 0.0, counted = 0
            for t in 0..<tokenCount {
                gates += Double(gateRows[t * kvHeads + g])
                let start = (g * tokenCount + t) * headDim
                let norm = euclideanNorm(UnsafeBufferPointer(rebasing: values[start..<start + headDim]))
                guard norm.isFinite else {
                    throw AnalysisError.nonFinite(what: "\(what) values [G, T, d]", offset: start)
                }
                let ratio: Double? = norm > 0 ? Double(gatedNorms[t * kvHeads + g]) / norm : nil
                if t == 0 {
                    firstTokenShare.append(ratio)
                } else if let ratio {
                    (shares, counted) = (shares + ratio, counted + 1)
                }
            }
            gate.append(gates / Double(tokenCount))
            share.append(counted > 0 ? shares / Double(counted) : nil)
        }
        self.gate = gate
        self.firstTokenShare = firstTokenShare
        self.share = share
    }

    /// The mean over kv heads of `gate`.
    public var meanGate: Double { gate.reduce(0, +) / Double(max(gate.count, 1)) }

    /// The mean over kv heads of the defined entries of `firstTokenShare`; nil when none is.
    public var meanFirstTokenShare: Double? { Self.mean(firstTokenShare) }

    /// The mean over kv heads of the defined entries of `share`; nil when none is.
    public var meanShare: Double? { Self.mean(share) }

    private static func mean(_ values: [Double?]) -> Double? {
        let defined = values.compactMap { $0 }
        return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
    }

    enum CodingKeys: String, CodingKey {
        case gate
        case firstTokenShare = "first_token_share"
        case share
    }
}
