import AttnCheckpoint
import AttnModel
import Foundation
import TestSupport

/// A golden capture written by `Tests/Fixtures/generate/make_golden.py`:
/// what HF transformers computes for each sample's attention maps, value
/// states and hidden states.
struct GoldenCapture {
    struct Sample: Decodable { var tokenIDs: [Int]; enum CodingKeys: String, CodingKey { case tokenIDs = "token_ids" } }
    struct Header: Decodable {
        var layers: Int
        /// The `--variant` the reference was computed for (variant fixtures only).
        var variant: String?
        var samples: [Sample]
    }

    let file: SafetensorsFile
    let header: Header

    init(_ name: String) throws {
        file = try SafetensorsFile(url: Fixtures.url("golden/\(name).safetensors"))
        header = try JSONDecoder().decode(Header.self, from: Data((file.metadata["golden"] ?? "").utf8))
    }
}

/// The largest deviations of a forward pass from its golden capture.
struct Deviation: CustomStringConvertible {
    /// max |Δ| over every attention probability.
    var attention: Float = 0
    /// max over tensors of max |Δ| / max |reference| (value states).
    var values: Float = 0
    /// The same for hidden states h[0…L].
    var hidden: Float = 0
    var blocksSeen = 0
    var hiddenSeen = 0

    var description: String { "attention max|Δ| \(attention), values rel \(values), hidden rel \(hidden)" }

    static func absolute(_ a: UnsafeBufferPointer<Float>, _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        var worst: Float = 0
        for i in 0..<b.count { worst = max(worst, abs(a[i] - b[i])) }
        return worst
    }

    /// max |Δ| scaled by the reference's largest magnitude.
    static func relative(_ a: UnsafeBufferPointer<Float>, _ b: [Float]) -> Float {
        let scale = b.reduce(Float(0)) { max($0, abs($1)) }
        return absolute(a, b) / max(scale, .leastNormalMagnitude)
    }
}

/// Compares every observation of one sample against the golden tensors as
/// the model hands it over.
struct GoldenComparison: ProbeObserver {
    let golden: GoldenCapture
    let sample: Int
    var deviation = Deviation()

    mutating func embeddings(_ hidden: borrowing HiddenStateView) throws {
        try compareHidden(hidden)
    }

    mutating func attention(_ layout: AttentionLayout) throws -> AttentionRequest { AttentionRequest(wholeMap: true) }

    mutating func block(_ capture: borrowing BlockCapture) throws {
        let s = "s\(sample)."
        let attention = try golden.file.floats(s + "attn.\(capture.layer)"),
            values = try golden.file.floats(s + "value.\(capture.layer)")
        deviation.attention = max(
            deviation.attention,
            capture.withAttention { $0.withUnsafeBufferPointer { Deviation.absolute($0, attention) } } ?? .infinity)
        deviation.values = max(
            deviation.values, capture.withValues { $0.withUnsafeBufferPointer { Deviation.relative($0, values) } })
        deviation.blocksSeen += 1
        try compareHidden(capture.hidden)
    }

    private mutating func compareHidden(_ hidden: borrowing HiddenStateView) throws {
        let reference = try golden.file.floats("s\(sample).hidden.\(hidden.index)")
        deviation.hidden = max(
            deviation.hidden, hidden.withValues { $0.withUnsafeBufferPointer { Deviation.relative($0, reference) } })
        deviation.hiddenSeen += 1
    }
}

/// Runs every golden sample through `model`; returns the worst deviation.
func compare(_ model: any TransformerModel, with golden: GoldenCapture) throws -> Deviation {
    var worst = Deviation()
    for (index, sample) in golden.header.samples.enumerated() {
        var observer = GoldenComparison(golden: golden, sample: index)
        try model.run(tokens: sample.tokenIDs, observer: &observer)
        let d = observer.deviation
        worst.attention = max(worst.attention, d.attention)
        worst.values = max(worst.values, d.values)
        worst.hidden = max(worst.hidden, d.hidden)
        worst.blocksSeen += d.blocksSeen
        worst.hiddenSeen += d.hiddenSeen
    }
    return worst
}
