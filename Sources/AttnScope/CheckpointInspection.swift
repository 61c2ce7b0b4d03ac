import AttnCheckpoint
import AttnModel

/// What `inspect` reports about a checkpoint, in lines of text.
package struct CheckpointInspection: Sendable {
    package let loaded: LoadedModel

    package init(_ loaded: LoadedModel) { self.loaded = loaded }

    /// The tensor count and element count per storage dtype, most elements first.
    package var dtypeSummary: [(dtype: String, tensors: Int, elements: Int)] {
        var table: [String: (Int, Int)] = [:]
        for name in loaded.checkpoint.tensorNames {
            guard let info = loaded.checkpoint.info(name) else { continue }
            let entry = table[info.dtype.rawValue, default: (0, 0)]
            table[info.dtype.rawValue] = (entry.0 + 1, entry.1 + info.elementCount)
        }
        return table.map { ($0.key, $0.value.0, $0.value.1) }.sorted { $0.elements > $1.elements }
    }

    /// The KV cache of this shape under each cache-saving scheme, for comparison.
    package var kvCacheTable: [(scheme: String, bytesPerToken: Int, ratio: Double)] {
        let d = loaded.model.description
        func with(kvHeads: Int, keys: Int, values: Int) -> ModelDescription {
            var copy = d
            copy.kvHeads = kvHeads
            copy.keyBlocks = keys
            copy.valueBlocks = values
            return copy
        }
        let L = d.layers,
            shapes: [(String, ModelDescription)] = [
                ("plain multi-head (G = H)", with(kvHeads: d.heads, keys: L, values: L)),
                ("this checkpoint (\(d.variant), G = \(d.kvHeads))", d),
                ("svformer (values once), G = \(d.kvHeads)", with(kvHeads: d.kvHeads, keys: L, values: 1)),
                (
                    "cla2 (every second block shares), G = \(d.kvHeads)",
                    with(kvHeads: d.kvHeads, keys: (L + 1) / 2, values: (L + 1) / 2)
                ),
                ("svformer + cla2, G = \(d.kvHeads)", with(kvHeads: d.kvHeads, keys: (L + 1) / 2, values: 1)),
            ]
        return shapes.map { ($0.0, $0.1.kvCacheBytesPerToken(), $0.1.kvCacheRatio) }
    }

    /// The report `inspect` prints.
    package var lines: [String] {
        let info = loaded.info, d = loaded.model.description
        func grouped(_ n: Int) -> String {
            let digits = Array(String(n))
            return stride(from: digits.count, to: 0, by: -3).reversed().map { end in
                String(digits[max(0, end - 3)..<end])
            }.joined(separator: ",")
        }
        func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        var out = [
            "checkpoint   \(info.path)",
            "format       \(info.format)",
            "family       \(info.family)\(d.causal ? " (causal decoder)" : " (bidirectional encoder)")",
            "variant      \(info.variant)" + (d.counterfactual.map { " (\($0))" } ?? ""),
            "shape        \(d.layers) blocks, \(d.heads) heads, \(d.kvHeads) kv heads, head size \(d.headDim), hidden \(d.hiddenSize), MLP \(d.intermediateSize)",
            "context      \(d.maxPositions) positions, vocabulary \(d.vocabularySize)",
            "parameters   \(grouped(d.parameters)) in \(loaded.checkpoint.tensorNames.count) tensors",
            "tokenizer    \(loaded.tokenizer?.kind ?? "none (give token ids)")",
            "kv cache     \(grouped(info.kvCacheBytesPerToken)) bytes per token in fp16 (\(d.keyBlocks) key blocks, \(d.valueBlocks) value blocks; \(String(format: "%.1f", info.kvCacheRatio * 100)) % of plain multi-head)",
            "storage:",
        ]
        if let window = d.slidingWindow {
            out.insert(
                "window       \(d.slidingBlocks) of \(d.layers) blocks slide over \(grouped(window)) tokens: their share of the kv cache stops growing at \(grouped(window)) tokens",
                at: out.count - 1)
            let global = d.blockWindows.indices.filter { d.blockWindows[$0] == nil }
            let local = d.blockWindows.indices.filter { d.blockWindows[$0] != nil }
            out.insert(
                "  global blocks (no window): \(BlockRanges.text(global)); local blocks: \(BlockRanges.text(local))",
                at: out.count - 1)
            let lengths = [window, 4096, d.maxPositions].filter { $0 >= window && $0 <= d.maxPositions }
            for tokens in Set(lengths).sorted() {
                guard let bytes = d.kvCacheBytes(tokens: tokens) else { continue }
                let unbounded = d.kvCacheBytesPerToken() * tokens
                out.insert(
                    "  at \(grouped(tokens)) tokens: \(mib(bytes)) of kv cache (\(mib(unbounded)) if no block slid)",
                    at: out.count - 1)
            }
        }
        out += dtypeSummary.map {
            "  \($0.dtype.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%5d", $0.tensors)) tensors  \(grouped($0.elements)) values"
        }
        out.append("kv cache of this shape under each scheme (fp16 bytes per token):")
        out += kvCacheTable.map {
            "  \($0.scheme.padding(toLength: 44, withPad: " ", startingAt: 0)) \(String(format: "%8d", $0.bytesPerToken))  \(String(format: "%5.1f", $0.ratio * 100)) %"
        }
        return out
    }
}
