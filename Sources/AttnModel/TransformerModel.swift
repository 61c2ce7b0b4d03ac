import AttnCheckpoint
import Foundation

/// A checkpoint loaded for inference, ready to be probed.
public protocol TransformerModel: Sendable {
    /// Shapes, family and variant.
    var description: ModelDescription { get }

    /// Runs the forward pass over `tokens` (ids, position 0 first) and hands
    /// `observer` h[0], then every block's capture as the block finishes.
    /// Attention is handed over a block of query rows at a time; a block's
    /// whole `[H, T, T]` map is kept only when the observer asks for it.
    func run<Observer: ProbeObserver>(tokens: [Int], observer: inout Observer) throws

    /// Runs the forward pass over every prompt of `batch` (ids, position 0
    /// first) and hands `observers[s]` prompt `s`'s observations, in the order
    /// and with the very bits ``run(tokens:observer:)`` would: the prompts are
    /// stacked into one pass, so each weight tile is decoded once for the batch.
    func run<Observer: ProbeObserver>(batch: [[Int]], observers: inout [Observer]) throws

    /// Bytes a forward pass over `rows` stacked token rows allocates besides
    /// the weights: its activation buffers and its workers' scratch.
    func activationBytes(rows: Int) -> Int
}

extension TransformerModel {
    /// Checks ids against the vocabulary, the length against the position
    /// encoding, and the activation buffers against physical memory, before any
    /// work is done.
    public func validate(tokens: [Int]) throws {
        let d = description
        guard !tokens.isEmpty else { throw ModelError(path: d.family, "no tokens to run") }
        guard tokens.count <= d.maxPositions else {
            throw ModelError(
                path: d.family,
                "\(tokens.count) tokens, more than the model's context of \(d.maxPositions): cut it to at most \(d.maxPositions) tokens (--max-tokens) or shorten it"
            )
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= d.vocabularySize }) {
            throw ModelError(path: d.family, "token id \(bad) is outside the vocabulary (0..<\(d.vocabularySize))")
        }
        try checkMemory(rows: tokens.count)
    }

    /// ``validate(tokens:)`` for every prompt of `batch`, and the activation
    /// buffers of all their rows stacked against physical memory.
    func validate(batch: [[Int]]) throws {
        for tokens in batch { try validate(tokens: tokens) }
        try checkMemory(rows: batch.reduce(0) { $0 + $1.count })
    }

    /// Throws when the activation buffers of `rows` tokens need more than this machine's memory.
    private func checkMemory(rows: Int) throws {
        let d = description
        let needed = activationBytes(rows: rows), available = ModelDescription.physicalMemory
        guard needed <= available else {
            let gib = { (bytes: Int) in String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
            throw ModelError(
                path: d.family,
                "\(rows) tokens need about \(gib(needed)) for activations, more than this machine's \(gib(available)): cut the prompt (--max-tokens)"
            )
        }
    }
}
