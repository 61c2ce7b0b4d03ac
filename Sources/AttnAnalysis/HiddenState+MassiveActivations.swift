extension HiddenState {
    /// Massive activations: entries with `|x| > 100` and `|x| > 1000 × median |h|` (median over all `T·D` entries).
    ///
    /// Reports their count and up to `top` of them by descending `|x|` (ties:
    /// lower token, then lower channel first), each with its signed value.
    public func massiveActivations(top: Int = 3) -> MassiveActivations {
        let middle = medianMagnitude(values) ?? 0
        let threshold = max(100, 1000 * middle)
        var count = 0
        var largest: [MassiveActivation] = []
        for index in values.indices where Double(abs(values[index])) > threshold {
            count += 1
            let entry = MassiveActivation(value: values[index], token: index / hiddenSize, channel: index % hiddenSize)
            if top > 0, largest.count < top || abs(entry.value) > abs(largest[largest.count - 1].value) {
                let slot = largest.firstIndex { abs(entry.value) > abs($0.value) } ?? largest.count
                largest.insert(entry, at: slot)
                if largest.count > top { largest.removeLast() }
            }
        }
        return MassiveActivations(count: count, top: largest, medianMagnitude: middle)
    }
}
