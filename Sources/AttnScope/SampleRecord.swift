import AttnAnalysis
import Foundation

/// One line of `samples.jsonl`: a sample's metrics (the fields of
/// `samples[i]` in metrics.md) with its 0-based prompt index beside them.
public struct SampleRecord: Codable, Sendable, Equatable {
    /// The prompt's position in the whole prompt set (not in the shard).
    public var index: Int
    /// Every metric of the sample.
    public var sample: SampleMetrics

    /// The record of prompt `index`.
    public init(index: Int, sample: SampleMetrics) {
        self.index = index
        self.sample = sample
    }

    enum CodingKeys: String, CodingKey { case index }

    /// Reads one `samples.jsonl` line.
    public init(from decoder: Decoder) throws {
        index = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .index)
        sample = try SampleMetrics(from: decoder)
    }

    /// Writes one `samples.jsonl` line.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try sample.encode(to: encoder)
    }

    /// One JSON line, newline included, as every writer of `samples.jsonl` encodes it.
    func line() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Why this record cannot be sample `expected` of `model`'s run, or nil when it can.
    func problem(expectedIndex expected: Int, model: ModelInfo) -> String? {
        let t = sample.tokenIDs.count
        if index != expected { return "sample \(index) where sample \(expected) belongs" }
        if t < 1 || sample.tokens.count != t {
            return "sample \(index) has \(t) token ids and \(sample.tokens.count) tokens"
        }
        if sample.layers.count != model.layers || sample.hiddenStates.count != model.layers + 1 {
            return
                "sample \(index) has \(sample.layers.count) blocks and \(sample.hiddenStates.count) states, the model \(model.layers) blocks"
        }
        if let l = sample.layers.firstIndex(where: { $0.heads.count != model.heads || $0.valueNorm.count != t }) {
            return
                "sample \(index) block \(l) has \(sample.layers[l].heads.count) heads and \(sample.layers[l].valueNorm.count) value norms (expected \(model.heads) and \(t))"
        }
        if let s = sample.hiddenStates.firstIndex(where: { $0.hiddenNorm.count != t || !(0..<t).contains($0.peakToken) }
        ) {
            return "sample \(index) state h[\(s)] does not have \(t) norms and a peak token among them"
        }
        return nil
    }
}
