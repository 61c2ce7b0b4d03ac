import AttnAnalysis
import AttnRender
import Foundation

/// The attention-map figures: which saved maps are drawn, masked and labelled how.
extension StandardFigures {
    /// Prompts of at most this many tokens get token labels on both axes of a map; longer ones get
    /// token positions as tick numbers.
    static let maxLabelledTokens = 48

    /// The saved maps in `attentionDirectory`, by sample: the blocks of each, ascending.
    static func savedMaps(in attentionDirectory: URL, layers: Int) -> [Int: [Int]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: attentionDirectory.path)) ?? []
        var found: [Int: [Int]] = [:]
        for name in names {
            let parts = name.split(separator: "-")
            guard parts.count == 4, parts[0] == "sample", parts[2] == "layer", name.hasSuffix(".npy"),
                let s = Int(parts[1]), let l = Int(parts[3].dropLast(4)), (0..<layers).contains(l),
                name == attentionFileName(sample: s, layer: l)
            else { continue }
            found[s, default: []].append(l)
        }
        return found.mapValues { $0.sorted() }
    }

    /// The maps to draw, by sample: every saved one without a selection, else the selection's,
    /// each of which must have been saved (one usage line names what is missing).
    static func drawnMaps(
        _ document: MetricsDocument, saved: [Int: [Int]], selection: MapSelection?
    ) throws -> [Int: [Int]] {
        guard let selection else { return saved }
        let model = document.model
        try selection.check(prompts: document.run.prompts.count, layers: model.layers, heads: model.heads)
        let wanted = selection.blocks.layers(of: model.layers)
        let kept = saved[selection.sample] ?? []
        let missing = wanted.filter { !kept.contains($0) }
        guard missing.isEmpty else {
            let samples = saved.keys.sorted().map(String.init).joined(separator: ", ")
            throw ScopeError.usage(
                "--map-blocks: sample \(selection.sample)'s maps of block \(BlockRanges.text(missing)) were not saved (saved: "
                    + (kept.isEmpty
                        ? "no maps of that sample; samples with maps: \(samples.isEmpty ? "none" : samples)"
                        : "blocks \(BlockRanges.text(kept))")
                    + "); a fresh analyze with these --map-* flags, or --save-attention, keeps them")
        }
        return [selection.sample: wanted]
    }

    /// " (window w)" for a sliding block, " (global)" for a full block of a model that has sliding ones, else "".
    static func windowNote(_ model: ModelInfo, layer: Int) -> String {
        guard let windows = model.blockWindows, windows.contains(where: { $0 != nil }) else { return "" }
        return windows[layer].map { " (window \($0))" } ?? " (global)"
    }

    /// `values` (`t` × `t`, row-major) with every entry `mask` hides set to NaN, which maps draw in ``RGBA/masked``.
    static func masked(_ values: ArraySlice<Float>, tokens t: Int, mask: AttentionMask, name: String) throws -> Matrix {
        var out = Array(values)
        for i in 0..<t {
            let first = mask.firstKey(query: i), last = mask.causal ? i : t - 1
            for j in 0..<t where j < first || j > last { out[i * t + j] = .nan }
        }
        return try Matrix(rows: t, cols: t, values: out, name: name)
    }

    /// Sample `record`'s saved maps of `layers`, masked cells grey: all heads as a grid and the
    /// head-mean map, or, for `heads`, one map per chosen head and a grid of them. Axes carry the
    /// tokens of a short prompt (``maxLabelledTokens``), token positions otherwise.
    static func writeAttentionMaps(
        _ record: SampleRecord, layers: [Int], heads chosen: LayerSelection?, model: ModelInfo,
        attentionDirectory: URL, to directory: URL
    ) throws -> [URL] {
        var urls: [URL] = []
        let sample = record.sample, s = record.index
        let labels = sample.tokens.count <= maxLabelledTokens ? sample.tokens : sample.tokens.indices.map(String.init)
        for l in layers {
            let source = attentionDirectory.appendingPathComponent(attentionFileName(sample: s, layer: l))
            let (values, shape) = try NPYFile.read(from: source)
            guard shape.count == 3, shape[1] == shape[2], shape[1] == sample.tokenIDs.count else {
                throw ScopeError.badInput(
                    "\(source.path): shape \(shape) does not match sample \(s) (\(sample.tokenIDs.count) tokens)")
            }
            let heads = shape[0], t = shape[1]
            let mask = AttentionMask(tokenCount: t, causal: model.causal, window: model.blockWindows?[l] ?? nil)
            let maps = try (0..<heads).map { h in
                try masked(values[(h * t * t)..<((h + 1) * t * t)], tokens: t, mask: mask, name: "head \(h)")
            }
            let block = "Layer \(l)\(windowNote(model, layer: l)), sample \(s)"
            let stem = String(format: "attention-sample-%03d-layer-%02d", s, l)
            var figures: [FigureFile] = []
            if let chosen {
                let picked = chosen.layers(of: heads)
                for h in picked {
                    figures.append(
                        FigureFile(
                            name: stem + String(format: "-head-%02d.png", h),
                            drawing: try AttentionMapFigure(
                                map: maps[h], rowLabels: labels, columnLabels: labels, title: "\(block), head \(h)",
                                scale: .log(fitting: maps[h]), colorBarCaption: "attention weight (log)"
                            ).drawing()))
                }
                if picked.count > 1 {
                    figures.append(
                        FigureFile(
                            name: stem + "-heads-chosen.png",
                            drawing: try MapGridFigure.heads(
                                of: picked.map { maps[$0] }, numbers: picked, layer: l,
                                title: "\(block): heads \(BlockRanges.text(picked)) (log scale)"
                            ).drawing()))
                }
            } else {
                var mean = [Float](repeating: 0, count: t * t)
                for map in maps { for i in 0..<(t * t) { mean[i] += map.values[i] / Float(heads) } }
                let meanMap = try Matrix(rows: t, cols: t, values: mean, name: "head mean")
                figures.append(
                    FigureFile(
                        name: stem + ".png",
                        drawing: try AttentionMapFigure(
                            map: meanMap, rowLabels: labels, columnLabels: labels,
                            title: "\(block): attention averaged over \(heads) heads",
                            scale: .log(fitting: meanMap), colorBarCaption: "attention weight (log)"
                        ).drawing()))
                figures.append(
                    FigureFile(
                        name: stem + "-heads.png",
                        drawing: try MapGridFigure.heads(of: maps, layer: l, title: "\(block): every head (log scale)")
                            .drawing()))
            }
            urls += try figures.flatMap { try $0.write(to: directory) }
        }
        return urls
    }
}
