/// The median of a scratch buffer, by in-place selection (no full sort).
///
/// Matches NumPy's `median`: the middle value for an odd count, the mean of
/// the two middle values for an even count. The buffer is reordered. Returns
/// nil for an empty buffer. Values must be finite (callers check).
func median<F: BinaryFloatingPoint>(reordering buffer: UnsafeMutableBufferPointer<F>) -> Double? {
    let n = buffer.count
    guard n > 0 else { return nil }
    let upper = n / 2
    select(upper, in: buffer)
    let upperValue = Double(buffer[upper])
    guard n % 2 == 0 else { return upperValue }
    // After selection every element before `upper` is <= buffer[upper]: the lower middle is their maximum.
    var lowerValue = buffer[0]
    for index in 1..<upper where buffer[index] > lowerValue { lowerValue = buffer[index] }
    return (Double(lowerValue) + upperValue) / 2
}

/// Reorders `buffer` so that `buffer[k]` holds the value a full ascending
/// sort would put there, with nothing greater before it and nothing smaller
/// after it (Hoare quickselect with a median-of-three pivot).
func select<F: BinaryFloatingPoint>(_ k: Int, in buffer: UnsafeMutableBufferPointer<F>) {
    var low = 0
    var high = buffer.count - 1
    while low < high {
        let middle = low + (high - low) / 2
        if buffer[middle] < buffer[low] { buffer.swapAt(middle, low) }
        if buffer[high] < buffer[low] { buffer.swapAt(high, low) }
        if buffer[high] < buffer[middle] { buffer.swapAt(high, middle) }
        let pivot = buffer[middle]
        var i = low
        var j = high
        while i <= j {
            while buffer[i] < pivot { i += 1 }
            while pivot < buffer[j] { j -= 1 }
            if i <= j {
                buffer.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j {
            high = j
        } else if k >= i {
            low = i
        } else {
            return
        }
    }
}
