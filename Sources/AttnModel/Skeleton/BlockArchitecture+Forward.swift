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
        // Each prompt's whole [H, T, T] map, only once its observer asks for it, and its block's attention.
        let maps = UnsafeMutableBufferPointer<FloatBuffer?>.allocate(capacity: prompts.count)
        let attention = UnsafeMutableBufferPointer<UnsafeBufferPointer<Float>?>.allocate(capacity: prompts.count)
        maps.initialize(repeating: nil)
        attention.initialize(repeating: nil)
        defer {
            maps.deinitialize().deallocate()
            attention.deallocate()
        }
        // Observers that allow it see their prompts side by side; so does short prompts' attention, whose few
        // tasks would leave workers idle (a longer prompt's attention is spread over the workers on its own).
        let sideBySide = Observer.observesConcurrently
        let attentionSideBySide = sideBySide && prompts.allSatisfy { $0.count <= BLAS.sliceRows }

        try embed(pass)
        variant.start(table, rows: t, width: D)
        try batch.forEachPrompt(sideBySide: sideBySide, observers: &observers) { s, observer in
            let rows = batch.prompts[s]
            try observer.embeddings(
                HiddenStateView(index: 0, tokenCount: rows.count, hiddenSize: D, values: x.rows(rows, width: D)))
        }
        for (l, block) in blocks.enumerated() {
            enter(layer: l, pass)
            attentionInputs(block, layer: l, pass)
            let values = variant.values(layer: l, table, count: t * kvWidth)
            let q = pass[.queries], keys = pass[.keys], window = window(block), scale = scoreScale(block)
            let bias = scoreBias(block, pass), sinks = sinks(block), norms = headNorms(block)
            try batch.forEachPrompt(sideBySide: attentionSideBySide, observers: &observers) { s, observer in
                let rows = batch.prompts[s], first = rows.lowerBound
                let shape = Attention.Shape(
                    tokens: rows.count, heads: H, kvHeads: G, headDim: hd, causal: model.causal, window: window,
                    scale: scale, bias: bias, sinks: sinks)
                attention[s] = Attention.run(
                    shape, q: q.pointer + first * qWidth, qStride: qWidth, k: keys.pointer + first * kvWidth,
                    kStride: kvWidth, v: values.pointer + first * kvWidth, vStride: kvWidth,
                    output: attended.pointer + first * qWidth,
                    request: try observer.attention(shape.layout(layer: l), of: model), norms: norms, map: &maps[s])
            }
            variant.correct(layer: l, table, consumed: values, count: t * qWidth)
            finish(block, layer: l, pass)
            variant.finish(layer: l, table, count: t * D)
            try batch.forEachPrompt(sideBySide: sideBySide, observers: &observers) { s, observer in
                let rows = batch.prompts[s], first = rows.lowerBound
                Kernels.splitHeads(
                    values.pointer + first * kvWidth, tokens: rows.count, groups: G, width: hd,
                    into: captured.pointer + first * kvWidth)
                try observer.block(
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
