/// The median of `|x|` over a float buffer, exact, in linear time (radix selection).
///
/// The bit patterns of `|x|` for finite `x` order like the magnitudes, so a
/// histogram of their top 16 bits finds the bin that holds each middle rank,
/// and only that bin's few entries are sorted (short buffers go to ``median(reordering:)``). Matches NumPy's `median` of
/// `abs(x)` (mean of the two middle values for an even count). Nil for an
/// empty buffer. Values must be finite (callers check).
func medianMagnitude(_ values: UnsafeBufferPointer<Float>) -> Double? {
    let n = values.count
    guard n > 0 else { return nil }
    if n <= 1 << 12 {  // fewer entries than histogram bins: select among them directly
        var magnitudes = values.map(\.magnitude)
        return magnitudes.withUnsafeMutableBufferPointer { median(reordering: $0) }
    }
    let shift: UInt32 = 15  // magnitudes have 31 significant bits: 16-bit bins
    var histogram = [Int](repeating: 0, count: 1 << 16)
    histogram.withUnsafeMutableBufferPointer { bins in
        for x in values { bins[Int((x.bitPattern & 0x7FFF_FFFF) >> shift)] += 1 }
    }
    /// The magnitude of rank `rank` (0-based) in ascending order.
    func magnitude(atRank rank: Int) -> Float {
        var below = 0
        var bin = 0
        while below + histogram[bin] <= rank {
            below += histogram[bin]
            bin += 1
        }
        var members: [UInt32] = []
        members.reserveCapacity(histogram[bin])
        for x in values {
            let bits = x.bitPattern & 0x7FFF_FFFF
            if Int(bits >> shift) == bin { members.append(bits) }
        }
        members.sort()
        return Float(bitPattern: members[rank - below])
    }
    let upper = Double(magnitude(atRank: n / 2))
    return n % 2 == 1 ? upper : (Double(magnitude(atRank: n / 2 - 1)) + upper) / 2
}
