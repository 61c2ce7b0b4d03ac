import Foundation
import Testing
@testable import AttnAnalysis

/// The vectorisable logarithm and row entropy against float64 `log`.
struct EntropyKernelTests {
    @Test func logarithmIsWithin1e7RelativeOverAllExponents() {
        var rng = SplitMix64(seed: 11)
        var samples: [Float] = [
            1, 0.5, 2, .leastNonzeroMagnitude, .leastNormalMagnitude, 1.41421356, 0.70710677, 3e-20, 0.99999994,
        ]
        for _ in 0..<200_000 {
            // Uniform over bit patterns of positive finite floats: every exponent, subnormals included.
            samples.append(Float(bitPattern: UInt32.random(in: 1..<0x7F80_0000, using: &rng)))
        }
        var worst = 0.0
        for p in samples {
            let exact = log(Double(p))
            let error = exact == 0 ? abs(Double(EntropyKernel.ln(p))) : abs(Double(EntropyKernel.ln(p)) / exact - 1)
            worst = max(worst, error)
        }
        #expect(worst < 1e-7)
    }

    @Test func rowEntropyMatchesFloat64ForEveryLength() {
        var rng = SplitMix64(seed: 12)
        for n in [0, 1, 3, 4, 5, 511, 512, 513, 1500] {
            var row = (0..<n).map { _ in Float.random(in: 0...1, using: &rng) * Float.random(in: 0...1, using: &rng) }
            if n > 3 {
                row[1] = 0
                row[2] = 1e-40  // subnormal
            }
            let exact = row.reduce(0.0) { $1 > 0 ? $0 - Double($1) * log(Double($1)) : $0 }
            let fast = row.withUnsafeBufferPointer { EntropyKernel.entropy($0) }
            #expect(abs(fast - exact) <= 1e-7 * exact, "n = \(n)")
        }
    }
}
