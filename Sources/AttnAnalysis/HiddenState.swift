/// A read-only view of one residual-stream state `h[l]`, `[T, D]` row-major.
///
/// Token `t`, channel `c` at `t·D + c`. The view borrows the buffer, so it is
/// lent only inside ``withState(tokenCount:hiddenSize:values:_:)``: it cannot be
/// copied or kept past the closure, and its values come out only as a `Span`.
/// Creating it checks the size and that every entry is finite.
public struct HiddenState: ~Copyable {
    /// Tokens `T`.
    public let tokenCount: Int
    /// Hidden size `D`.
    public let hiddenSize: Int
    /// The state, `[T, D]` row-major; valid only while the buffer lent to the view is.
    let values: UnsafeBufferPointer<Float>

    /// Lends `body` a view of `values` (`[T, D]` row-major) after checking that it holds exactly `T·D` finite floats.
    public static func withState<R>(
        tokenCount: Int, hiddenSize: Int, values: Span<Float>, _ body: (borrowing HiddenState) throws -> R
    ) throws -> R {
        try values.withUnsafeBufferPointer { buffer in
            try body(HiddenState(tokenCount: tokenCount, hiddenSize: hiddenSize, values: buffer))
        }
    }

    /// The state, `[T, D]` row-major, lent to `body`.
    public func withValues<R>(_ body: (Span<Float>) throws -> R) rethrows -> R {
        try body(values.span)
    }

    /// Wraps `values` after checking that it holds exactly `T·D` finite floats.
    /// The caller keeps the buffer alive while the view is used.
    init(tokenCount: Int, hiddenSize: Int, values: UnsafeBufferPointer<Float>) throws {
        guard tokenCount > 0 else {
            throw AnalysisError.invalidDimension(what: "hidden state", name: "tokenCount", value: tokenCount)
        }
        guard hiddenSize > 0 else {
            throw AnalysisError.invalidDimension(what: "hidden state", name: "hiddenSize", value: hiddenSize)
        }
        let (expected, overflow) = tokenCount.multipliedReportingOverflow(by: hiddenSize)
        guard !overflow, values.count == expected else {
            throw AnalysisError.bufferSize(what: "hidden state [T, D]", expected: expected, actual: values.count)
        }
        if let offset = values.firstIndex(where: { !$0.isFinite }) {
            throw AnalysisError.nonFinite(what: "hidden state [T, D]", offset: offset)
        }
        self.tokenCount = tokenCount
        self.hiddenSize = hiddenSize
        self.values = values
    }

    /// Token `t`'s state, `D` floats.
    func row(_ t: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: values[t * hiddenSize..<(t + 1) * hiddenSize])
    }

    /// `hidden_norm[t] = ‖h[t]‖₂` for `t = 0 … T-1` (float64 accumulation).
    public func norms() -> [Double] {
        (0..<tokenCount).map { euclideanNorm(row($0)) }
    }

    /// `peak_hidden_ratio` and `peak_token`: `max over t / median over t` of `norms`, with the first argmax.
    ///
    /// The ratio is nil when the median is 0.
    public static func peak(norms: [Double]) -> (ratio: Double?, token: Int) {
        guard let token = norms.indices.max(by: { norms[$0] < norms[$1] }) else { return (nil, 0) }
        var scratch = norms
        let middle = scratch.withUnsafeMutableBufferPointer { median(reordering: $0) } ?? 0
        return (middle > 0 ? norms[token] / middle : nil, token)
    }
}
