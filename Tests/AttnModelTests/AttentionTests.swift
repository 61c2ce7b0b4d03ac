import AttnKernels
import Foundation
import Testing
@testable import AttnModel

/// The block-skipping attention and its vectorised softmax against plain float64 references.
struct AttentionTests {
    @Test("exp in eight lanes is within 2 ulp of expf from −87.3 to 88, and 0 below")
    func exponentialMatchesExpf() {
        var worst: Float = 0
        var x: Float = -87.3
        while x <= 88 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 1.37e-3 })
            let fast = Kernels.exp(lanes)
            for lane in 0..<8 {
                let exact = expf(lanes[lane])
                worst = max(worst, abs(fast[lane] - exact) / exact.ulp)
            }
            x += 0.0117
        }
        #expect(worst <= 2)
        let below = Kernels.exp(SIMD8<Float>(-88, -100, -1e30, -.infinity, 0, -1, -87.3, 1))
        #expect(below[0] == 0 && below[1] == 0 && below[2] == 0 && below[3] == 0)
        #expect(below[4] == 1 && abs(below[5] - expf(-1)) <= expf(-1).ulp)
    }

    @Test(
        "attention equals the float64 reference, map and output, causal, windowed and bidirectional, across row blocks")
    func attentionMatchesReference() {
        let cases: [(t: Int, heads: Int, kvHeads: Int, causal: Bool, window: Int?)] = [
            (150, 4, 2, true, nil), (150, 2, 1, true, 37), (97, 3, 3, false, nil), (1, 2, 2, true, nil),
            (300, 1, 1, true, 5),
        ]
        for c in cases {
            let d = 8
            var rng = SystemRandomNumberGenerator()
            let q = (0..<(c.t * c.heads * d)).map { _ in Float.random(in: -2...2, using: &rng) }
            let k = (0..<(c.t * c.kvHeads * d)).map { _ in Float.random(in: -2...2, using: &rng) }
            let v = (0..<(c.t * c.kvHeads * d)).map { _ in Float.random(in: -1...1, using: &rng) }
            let shape = Attention.Shape(
                tokens: c.t, heads: c.heads, kvHeads: c.kvHeads, headDim: d, causal: c.causal, window: c.window,
                scale: 0.35)
            var output = [Float](repeating: .nan, count: c.t * c.heads * d)
            var storage: FloatBuffer?
            let collector = RowCollector(heads: c.heads, tokens: c.t)
            let map = output.withUnsafeMutableBufferPointer { out in
                Attention.run(
                    shape, q: q, qStride: c.heads * d, k: k, kStride: c.kvHeads * d, v: v, vStride: c.kvHeads * d,
                    output: out.baseAddress!, request: AttentionRequest(rows: collector, wholeMap: true), map: &storage
                ).map(Array.init) ?? []
            }
            var worstMap = 0.0, worstOutput = 0.0
            for h in 0..<c.heads {
                let g = h / (c.heads / c.kvHeads)
                for i in 0..<c.t {
                    let visible = shape.visibleKeys(query: i)
                    let scores = visible.map { j in
                        0.35
                            * (0..<d).reduce(0.0) {
                                $0 + Double(q[i * c.heads * d + h * d + $1]) * Double(k[j * c.kvHeads * d + g * d + $1])
                            }
                    }
                    let top = scores.max()!, exps = scores.map { Foundation.exp($0 - top) }, sum = exps.reduce(0, +)
                    var probabilities = [Double](repeating: 0, count: c.t)
                    for (n, j) in visible.enumerated() { probabilities[j] = exps[n] / sum }
                    for j in 0..<c.t {
                        worstMap = max(worstMap, abs(Double(map[(h * c.t + i) * c.t + j]) - probabilities[j]))
                    }
                    for e in 0..<d {
                        let expected = (0..<c.t).reduce(0.0) {
                            $0 + probabilities[$1] * Double(v[$1 * c.kvHeads * d + g * d + e])
                        }
                        worstOutput = max(worstOutput, abs(Double(output[i * c.heads * d + h * d + e]) - expected))
                    }
                }
            }
            #expect(worstMap < 1e-6, "\(c)")
            #expect(worstOutput < 1e-5, "\(c)")
            #expect(collector.assembled() == map, "rows lent to the consumer = the whole map, \(c)")
            #expect(collector.worstEntropy < 1e-6, "row entropies from the softmax, \(c)")
        }
    }

    /// Reassembles the lent rows into an `[H, T, T]` map (0 where nothing was lent).
    final class RowCollector: AttentionRowConsumer, @unchecked Sendable {
        let heads: Int, tokens: Int
        private var map: [Float]
        /// The largest |lent row entropy − `−Σ p ln p` of the lent row| (float64).
        private(set) var worstEntropy = 0.0
        private let lock = NSLock()

        init(heads: Int, tokens: Int) {
            self.heads = heads
            self.tokens = tokens
            map = [Float](repeating: 0, count: heads * tokens * tokens)
        }

        func consume(_ rows: borrowing AttentionRows) {
            let (head, first, keys, count) = (rows.head, rows.firstQuery, rows.keys, rows.queryCount)
            rows.withProbabilities { span in
                rows.withEntropies { entropies in
                    lock.withLock {
                        for r in 0..<count {
                            var entropy = 0.0
                            for c in 0..<keys.count {
                                let p = span[r * keys.count + c]
                                map[(head * tokens + first + r) * tokens + keys.lowerBound + c] = p
                                if p > 0 { entropy -= Double(p) * Foundation.log(Double(p)) }
                            }
                            worstEntropy = max(worstEntropy, abs(entropies[r] - entropy))
                        }
                    }
                }
            }
        }

        func assembled() -> [Float] { lock.withLock { map } }
    }
}
