import AttnKernels

/// The forward pass every family shares.
extension BlockArchitecture {
    func run<Observer: ProbeObserver>(tokens: [Int], observer: inout Observer) throws {
        var observers = [observer]
        defer { observer = observers[0] }
        try run(batch: [tokens], observers: &observers)
    }

    /// The forward pass of every prompt of `batch` at once: rows stacked
    /// (``Batch``), each prompt with its own positions and attention, and
    /// `observers[s]` handed prompt `s`'s observations as the blocks finish.
    func run<Observer: ProbeObserver>(batch prompts: [[Int]], observers: inout [Observer]) throws {
        precondition(prompts.count == observers.count, "\(prompts.count) prompts for \(observers.count) observers")
        let plan = self.plan
        try validate(batch: prompts)
        let batch = Batch(lengths: prompts.map(\.count))
        let table = pool.table(rows: batch.rows, plan: plan)
        defer { pool.recycle(table) }
        let pass = ForwardPass(
            batch: batch, tokens: prompts.flatMap { $0 }, activations: table,
            tables: tables(longest: prompts.map(\.count).max() ?? 0)
        )
        let model = description, t = batch.rows, D = model.hiddenSize
        let H = model.heads, G = model.kvHeads, hd = model.headDim, qWidth = H * hd, kvWidth = G * hd
        let x = pass[.residual], attended = pass[.attended], captured = pass[.capturedValues]
        // Each prompt's whole [H, T, T] map, only once its observer asks for it.
        var maps = [FloatBuffer?](repeating: nil, count: prompts.count)

        try embed(pass)
        variant.start(table, rows: t, width: D)
        for (s, rows) in batch.prompts.enumerated() {
            try observers[s].embeddings(
                HiddenStateView(index: 0, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D)))
        }
        for (l, block) in blocks.enumerated() {
            enter(layer: l, pass)
            attentionInputs(block, layer: l, pass)
            let values = variant.values(layer: l, table, count: t * kvWidth)
            let q = pass[.queries], keys = pass[.keys], window = window(block), scale = scoreScale(block)
            let bias = scoreBias(block, pass), sinks = sinks(block)
            var attention: [UnsafeBufferPointer<Float>?] = []
            for (s, rows) in batch.prompts.enumerated() {
                let shape = Attention.Shape(
                    tokens: rows.count, heads: H, kvHeads: G, headDim: hd, causal: model.causal, window: window,
                    scale: scale, bias: bias,
                    sinks: sinks
                )
                let first = rows.lowerBound
                attention.append(
                    Attention.run(
                        shape, q: q.pointer + first * qWidth, qStride: qWidth, k: keys.pointer + first * kvWidth,
                        kStride: kvWidth,
                        v: values.pointer + first * kvWidth, vStride: kvWidth,
                        output: attended.pointer + first * qWidth,
                        request: try observers[s].attention(shape.layout(layer: l), of: model), norms: headNorms(block),
                        map: &maps[s]
                    ))
            }
            variant.correct(layer: l, table, consumed: values, count: t * qWidth)
            finish(block, layer: l, pass)
            variant.finish(layer: l, table, count: t * D)
            for (s, rows) in batch.prompts.enumerated() {
                let first = rows.lowerBound
                Kernels.splitHeads(
                    values.pointer + first * kvWidth, tokens: rows.count, groups: G, width: hd,
                    into: captured.pointer + first * kvWidth)
                try observers[s].block(
                    BlockCapture(
                        layer: l, tokenCount: rows.count, heads: H, kvHeads: G, headDim: hd, causal: model.causal,
                        window: model.causal ? window : nil, attention: attention[s],
                        values: captured.rows(rows, width: kvWidth),
                        valueEmbedding: valueEmbedding(block, pass, rows: rows),
                        hidden: HiddenStateView(
                            index: l + 1, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D))
                    ))
            }
        }
    }
}
