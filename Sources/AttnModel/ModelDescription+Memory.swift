import AttnKernels
import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one forward pass holds in memory besides the weights.
extension ModelDescription {
    /// Bytes a forward pass over `tokens` tokens holds besides its
    /// activations (``ActivationPlan``): each worker's stacked block of
    /// ``Attention/headRows(tokens:group:)`` attention rows per head of a kv
    /// group (with its queries and outputs) and the panel of decoded weight
    /// rows a projection holds (at most ``linearPanelFloats``), as float32. A
    /// block's whole `[H, T, T]` map, kept only when an observer asks for it,
    /// is not counted. Saturates at `Int.max` instead of overflowing.
    func workBytes(tokens t: Int) -> Int {
        let width = max(hiddenSize, intermediateSize, heads * headDim)
        let panel = min(linearPanelFloats, width.multipliedReportingOverflow(by: width).overflow ? .max : width * width)
        let group = heads / max(kvHeads, 1), stacked = group * Attention.headRows(tokens: t, group: group)
        let parts = [[Parallel.threads, stacked, t + 2 * headDim, 4], [panel, 4]]
        var total = 0
        for factors in parts {
            var product = 1
            for factor in factors {
                let (next, overflow) = product.multipliedReportingOverflow(by: factor)
                if overflow { return .max }
                product = next
            }
            let (sum, overflow) = total.addingReportingOverflow(product)
            if overflow { return .max }
            total = sum
        }
        return total
    }

    /// Physical memory of this machine in bytes, the bound a forward pass is checked against.
    static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return .max }
        return pages.multipliedReportingOverflow(by: pageSize).overflow ? .max : pages * pageSize
    }
}

extension ProbeObserver {
    /// Asks the observer how a block's attention is to be handed over, and
    /// refuses a whole `[H, T, T]` map (`--save-attention`, the figures'
    /// maps) that would not fit in this machine's memory.
    mutating func attention(_ layout: AttentionLayout, of model: ModelDescription) throws -> AttentionRequest {
        let request = try attention(layout)
        guard request.wholeMap else { return request }
        let t = layout.tokenCount
        let (square, o1) = t.multipliedReportingOverflow(by: t)
        let (floats, o2) = square.multipliedReportingOverflow(by: layout.heads)
        let (needed, o3) = floats.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        let available = ModelDescription.physicalMemory
        guard o1 || o2 || o3 || needed > available else { return request }
        let gib = { (bytes: Int) in String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        throw ModelError(
            path: model.family,
            "\(t) tokens need about \(o1 || o2 || o3 ? "more than \(gib(.max))" : gib(needed)) for one block's attention maps (kept for --save-attention and the figures), more than this machine's \(gib(available)): cut the prompt (--max-tokens)"
        )
    }
}
