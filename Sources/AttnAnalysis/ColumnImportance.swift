import Foundation

/// The ResFormer paper's column-importance distribution `p` of one block, with its entropy and top-k shares.
///
/// `Ā = mean over heads of A`, `a_j = Σ_i Ā_ij`, `p_j = a_j / Σ_k a_k`. It is
/// built from the per-head key importances, since `Σ_i A_ij = α[h][j] · (queries that see j)`.
public struct ColumnImportance: Equatable, Sendable {
    /// `p_j` for keys `j = 0 … T-1`; sums to 1 (or is all 0 for an all-zero map).
    public let distribution: [Double]

    /// Builds `p` from `keyImportance[h][k]` (one `[T]` array per head) of a map with the given mask.
    public init(keyImportance: [[Double]], causal: Bool) {
        let t = keyImportance.first?.count ?? 0
        self.init(keyImportance: keyImportance, queryCounts: (0..<t).map { causal ? t - $0 : t })
    }

    /// Builds `p` from `keyImportance[h][k]` and `queryCounts[k]`, the number
    /// of queries that see key `k` (``AttentionMap/queryCount(key:)``).
    public init(keyImportance: [[Double]], queryCounts: [Int]) {
        let t = queryCounts.count
        var a = [Double](repeating: 0, count: t)
        for head in keyImportance {
            for key in 0..<min(t, head.count) {
                a[key] += head[key] * Double(queryCounts[key])
            }
        }
        let total = a.reduce(0, +)
        distribution = total > 0 ? a.map { $0 / total } : a
    }

    /// `attention_entropy`: `-Σ_j p_j ln p_j` in nats, `0 · ln 0 = 0`; not normalized, not corrected for the mask.
    public var entropy: Double {
        distribution.reduce(0) { sum, p in p > 0 ? sum - p * log(p) : sum }
    }

    /// The sum of the `k` largest `p_j` (all of them when `k ≥ T`).
    public func topShare(_ k: Int) -> Double {
        distribution.sorted(by: >).prefix(max(0, k)).reduce(0, +)
    }
}
