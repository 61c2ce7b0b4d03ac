import AttnAnalysis
import Foundation

/// Builders of small `[H, T, T]` attention maps for tests, row-major, masked entries 0.
enum Maps {
    /// Every query spreads its mass evenly over the keys it sees.
    static func uniform(heads: Int, tokens: Int, causal: Bool) -> [Float] {
        build(heads: heads, tokens: tokens, causal: causal) { _, _, n in [Float](repeating: 1 / Float(n), count: n) }
    }

    /// Every query puts all its mass on key `key(h, i)` (clamped to the keys it sees).
    static func oneHot(heads: Int, tokens: Int, causal: Bool, key: (Int, Int) -> Int) -> [Float] {
        build(heads: heads, tokens: tokens, causal: causal) { h, i, n in
            var row = [Float](repeating: 0, count: n)
            row[min(key(h, i), n - 1)] = 1
            return row
        }
    }

    /// Rows drawn as softmax of random logits, sharpened by a random temperature, some entries exactly 0.
    static func random(heads: Int, tokens: Int, causal: Bool, using rng: inout SplitMix64) -> [Float] {
        build(heads: heads, tokens: tokens, causal: causal) { _, _, n in
            let sharpness = Double.random(in: 0.1...8, using: &rng)
            var weights = (0..<n).map { _ in exp(sharpness * Double.random(in: -1...1, using: &rng)) }
            if n > 2 { weights[Int.random(in: 0..<n, using: &rng)] = 0 }
            let total = weights.reduce(0, +)
            return weights.map { Float($0 / total) }
        }
    }

    /// Fills each head's rows from `row(h, i, n)`, which returns the `n` visible entries of query `i`.
    static func build(heads: Int, tokens: Int, causal: Bool, row: (Int, Int, Int) -> [Float]) -> [Float] {
        var map = [Float](repeating: 0, count: heads * tokens * tokens)
        for h in 0..<heads {
            for i in 0..<tokens {
                let values = row(h, i, causal ? i + 1 : tokens)
                for (j, value) in values.enumerated() { map[(h * tokens + i) * tokens + j] = value }
            }
        }
        return map
    }
}
