import Testing
@testable import AttnAnalysis

/// Selection-based median against a sorted reference.
struct MedianTests {
    @Test func medianMatchesSortingForManySizes() {
        var rng = SplitMix64(seed: 3)
        for n in 1...60 {
            for _ in 0..<5 {
                // Few distinct values make ties common.
                let values = (0..<n).map { _ in Float(Int.random(in: 0..<7, using: &rng)) }
                let sorted = values.sorted()
                let expected =
                    n % 2 == 1
                    ? Double(sorted[n / 2])
                    : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
                var scratch = values
                #expect(scratch.withUnsafeMutableBufferPointer { median(reordering: $0) } == expected)
            }
        }
        var empty: [Double] = []
        #expect(empty.withUnsafeMutableBufferPointer { median(reordering: $0) } == nil)
    }
}

/// Radix-selection median of magnitudes against a sorted reference.
struct MedianMagnitudeTests {
    @Test func medianMagnitudeMatchesSorting() {
        var rng = SplitMix64(seed: 5)
        for n in [1, 2, 3, 4, 7, 64, 1000, 4097] {
            for spread in [Float(1e-30), 1, 1e6] {
                var values = (0..<n).map { _ in Float.random(in: -spread...spread, using: &rng) }
                if n > 4 {
                    values[0] = 0
                    values[1] = -0.0
                    values[2] = values[3]  // a tie
                    values[4] = -values[3]  // the same magnitude, negative
                }
                let sorted = values.map(abs).sorted()
                let expected =
                    n % 2 == 1
                    ? Double(sorted[n / 2])
                    : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
                #expect(
                    values.withUnsafeBufferPointer { medianMagnitude($0) } == expected, "n = \(n), spread \(spread)")
            }
        }
        #expect([Float]().withUnsafeBufferPointer { medianMagnitude($0) } == nil)
    }
}
