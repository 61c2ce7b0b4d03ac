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
                let expected = n % 2 == 1
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
