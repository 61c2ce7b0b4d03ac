import AttnKernels

/// Eager scaled dot-product attention over token-major projections, as HF's
/// `eager_attention_forward` computes it, handing the probabilities to the
/// observer a block of query rows at a time.
///
/// The single attention entry point of every family. Queries are cut into
/// blocks of ``headRows(tokens:group:)`` rows, and every (kv head, block) pair
/// is a task for ``Parallel``'s workers: the query heads that share the kv
/// head are stacked into one `Q·Kᵀ` and one `P·V` product, so `K` and `V` are
/// packed once per group. The observer still receives a head's blocks one
/// at a time in query order (``OrderedConsumer``), so its sums meet in the
/// same order at any thread count. A causal block computes
/// `Q·Kᵀ` and `P·V` only over keys up to its last query (and, with a sliding
/// window, from its first query's first visible key), so the masked half is
/// never computed.
/// A block's probabilities live in its worker's `[rows, keys]` scratch while
/// they are reduced, so memory stays bounded at any length; the whole
/// `[H, T, T]` map is filled only when the observer asks for it.
enum Attention {
    /// The sizes of one attention call.
    struct Shape {
        var tokens: Int
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var causal: Bool
        /// With `causal`, query `i` sees only keys `j` with `i − j < window`
        /// (HF's sliding-window mask); nil for every earlier key.
        var window: Int? = nil
        /// Multiplies `q·k` before the softmax (usually `1/√d`).
        var scale: Float
        /// Added to the scaled scores before the softmax, by head and key − query offset (MPNet).
        var bias: RelativePositionBias? = nil
        /// Each head's learned sink logit, one more slot of its softmax that is then dropped (GPT-OSS), `[H]`.
        var sinks: [Float]? = nil

        /// The layout announced to observers for block `layer`.
        func layout(layer: Int) -> AttentionLayout {
            AttentionLayout(
                layer: layer, heads: heads, tokenCount: tokens, causal: causal, window: causal ? window : nil,
                learnedSinks: sinks != nil)
        }

        /// The keys query `i` sees: `0 … i` causally (from `i − window + 1`
        /// with a window), all `T` otherwise.
        func visibleKeys(query i: Int) -> Range<Int> {
            guard causal else { return 0..<tokens }
            return max(0, i + 1 - (window ?? (i + 1)))..<(i + 1)
        }
    }

    /// Query rows per block: a block's `[rows, T]` scratch stays near 512 KiB
    /// (about half of one core's L2 cache, where it is normalised, multiplied
    /// by `V` and reduced), between 32 and 128 rows. Fewer rows would pack `K`
    /// and `V` for the products too often (at 2,048 tokens, 32-row blocks made
    /// `Q·Kᵀ` and `P·V` a third slower than 128-row ones).
    static func rowBlock(tokens: Int) -> Int {
        min(128, max(32, 131_072 / max(tokens, 1)))
    }

    /// Query rows per head in one task when `group` query heads share a kv
    /// head: the group's heads are stacked into one product of at most
    /// ``BLAS/sliceRows`` rows (one `cblas_sgemm`, so `K` and `V` are packed
    /// once for the whole group), and no more rows than ``rowBlock(tokens:)``.
    static func headRows(tokens: Int, group: Int) -> Int {
        max(1, min(rowBlock(tokens: tokens), BLAS.sliceRows / max(group, 1)))
    }

    /// Computes `output[T, H·d]` (query head `h` of token `t` at
    /// `t·H·d + h·d`) and hands every head's probabilities to
    /// `request.rows`, a block of query rows at a time; with
    /// `request.wholeMap`, also fills `map` (allocated on first use, `[H, T, T]`
    /// row-major, masked entries exactly 0) and returns it.
    ///
    /// `q` holds query head `h` of token `t` at `q + t·qStride + h·d`; `k`
    /// and `v` hold kv-head `g` at `t·kStride + g·d` / `t·vStride + g·d`.
    /// Query head `h` reads kv-head `h / (H/G)`. Each row's softmax covers its
    /// visible keys; the rows handed over are 0 at the masked keys they span.
    ///
    /// When the request asks for ``AttentionRequest/headNorms`` and `norms`
    /// (the block's output projection) is given, the rows also carry, per head
    /// and for the block's own positions `i`, `ν_i = ‖v_i W_O^h‖₂` (the value
    /// at token `i` as a key) and `‖o_i W_O^h‖₂` (the row's output
    /// `o_i = Σ_j A_ij v_j`, before any variant's correction): measured in the
    /// block's task, while its rows are in cache, so every key's `ν` arrives
    /// with the block whose queries are at its position.
    static func run(
        _ shape: Shape,
        q: UnsafePointer<Float>, qStride: Int,
        k: UnsafePointer<Float>, kStride: Int,
        v: UnsafePointer<Float>, vStride: Int,
        output: UnsafeMutablePointer<Float>,
        request: AttentionRequest, norms: HeadNormFactors? = nil, map: inout FloatBuffer?
    ) -> UnsafeBufferPointer<Float>? {
        let t = shape.tokens, d = shape.headDim, heads = shape.heads, groups = shape.kvHeads
        let group = heads / groups, block = headRows(tokens: t, group: group), blocks = (t + block - 1) / block
        if request.wholeMap, map == nil { map = FloatBuffer(count: heads * t * t) }
        let whole = request.wholeMap ? map?.pointer : nil
        let consumer = request.rows.map { OrderedConsumer($0, heads: heads) }
        let factors = consumer != nil && request.headNorms ? norms?.buffer : nil
        let workers = Parallel.width(blocks * groups), stacked = group * block
        // Per worker: the group's queries, its scores (then probabilities) and its outputs, each stacked head by head.
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * stacked * (t + 2 * d))
        let entropies = UnsafeMutablePointer<Double>.allocate(capacity: workers * stacked)
        // With head norms, per worker: its rows' ν and output norms, [stacked] each.
        let keyNorms = UnsafeMutablePointer<Float>.allocate(capacity: factors == nil ? 0 : workers * stacked)
        let outputNorms = UnsafeMutablePointer<Float>.allocate(capacity: factors == nil ? 0 : workers * stacked)
        defer {
            scratch.deallocate()
            entropies.deallocate()
            keyNorms.deallocate()
            outputNorms.deallocate()
        }
        nonisolated(unsafe) let (qs, ks, vs, out, nus, outNorms) = (q, k, v, output, keyNorms, outputNorms)
        let f = factors.map { UnsafePointer($0.pointer) }
        // Task `b·G + g` is row block `b` of kv group `g`: a head's blocks are claimed in query order.
        Parallel.forEach(blocks * groups) { task, worker in
            let (b, g) = task.quotientAndRemainder(dividingBy: groups)
            assert(worker < workers, "worker \(worker) of \(workers)")
            let first = b * block, rows = min(block, t - first), m = group * rows
            let scores = scratch + worker * stacked * (t + 2 * d)
            let queries = scores + stacked * t, outputs = queries + stacked * d
            let rowEntropies = entropies + worker * stacked
            let keys =
                shape.visibleKeys(query: first).lowerBound..<shape.visibleKeys(query: first + rows - 1).upperBound
            let width = keys.count
            // queries[j·rows + r] = Q[first + r, head g·group + j]: the group's heads stacked.
            for j in 0..<group {
                for r in 0..<rows {
                    (queries + (j * rows + r) * d).update(
                        from: qs + (first + r) * qStride + (g * group + j) * d, count: d)
                }
            }
            // scores[m, width] = scale · queries · K[keys, g]ᵀ
            BLAS.gemm(
                m: m, n: width, k: d, queries, lda: d,
                ks + keys.lowerBound * kStride + g * d, ldb: kStride, transposeB: true, scores, ldc: width,
                alpha: shape.scale)
            if let bias = shape.bias {
                for row in 0..<m {
                    bias.add(
                        to: scores + row * width, head: g * group + row / rows, query: first + row % rows, keys: keys)
                }
            }
            for row in 0..<m {
                let visible = shape.visibleKeys(query: first + row % rows)
                rowEntropies[row] = Kernels.softmax(
                    scores + row * width, width: width,
                    visible: (visible.lowerBound - keys.lowerBound)..<(visible.upperBound - keys.lowerBound),
                    sink: shape.sinks?[g * group + row / rows])
            }
            // outputs[m, d] = P[m, width] · V[keys, g], then each head's rows to output[first…, h]
            BLAS.gemm(
                m: m, n: d, k: width, scores, lda: width, vs + keys.lowerBound * vStride + g * d, ldb: vStride, outputs,
                ldc: d)
            let rowKeyNorms = nus + worker * stacked, rowOutputNorms = outNorms + worker * stacked
            if let f {
                // Measured in the queries' (now free) scratch, for head h = g·group + j:
                // rowKeyNorms[j·rows + r] = ‖F_h v_{first+r}‖, one product for the group (its F_h are contiguous,
                // [group·d, d]), and rowOutputNorms[j·rows + r] = ‖F_h o_{first+r}‖, one product per head.
                let groupFactors = f + g * group * d * d
                BLAS.gemm(
                    m: rows, n: group * d, k: d, vs + first * vStride + g * d, lda: vStride, groupFactors,
                    transposeB: true, queries)
                for j in 0..<group {
                    rowNorms(queries + j * d, rows: rows, width: d, stride: group * d, into: rowKeyNorms + j * rows)
                }
                for j in 0..<group {
                    BLAS.gemm(
                        m: rows, n: d, k: d, outputs + j * rows * d, groupFactors + j * d * d, transposeB: true, queries
                    )
                    rowNorms(queries, rows: rows, width: d, stride: d, into: rowOutputNorms + j * rows)
                }
            }
            for j in 0..<group {
                let h = g * group + j
                for r in 0..<rows {
                    (out + (first + r) * heads * d + h * d).update(from: outputs + (j * rows + r) * d, count: d)
                }
                let probabilities = scores + j * rows * width
                consumer?.consume(
                    block: b,
                    of: AttentionRows(
                        head: h, firstQuery: first, keys: keys,
                        probabilities: UnsafeBufferPointer(start: probabilities, count: rows * width),
                        entropies: UnsafeBufferPointer(start: rowEntropies + j * rows, count: rows),
                        norms: f == nil
                            ? nil
                            : HeadNormRows(
                                keys: UnsafeBufferPointer(start: rowKeyNorms + j * rows, count: rows),
                                outputs: UnsafeBufferPointer(start: rowOutputNorms + j * rows, count: rows))))
                if let whole {
                    for r in 0..<rows {
                        let target = whole + (h * t + first + r) * t
                        target.update(repeating: 0, count: t)
                        (target + keys.lowerBound).update(from: probabilities + r * width, count: width)
                    }
                }
            }
        }
        return whole.map { UnsafeBufferPointer(start: $0, count: heads * t * t) }
    }

    /// `norms[r] = ‖row r‖₂` of `rows` rows of `width` floats, row `r` at `matrix + r·stride`:
    /// eight float lanes of squares (a head's `d` terms, so float keeps the norm to 1e-7), then a float64 square root.
    private static func rowNorms(
        _ matrix: UnsafePointer<Float>, rows: Int, width: Int, stride: Int, into norms: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = matrix + r * stride
            var lanes = SIMD8<Float>(repeating: 0), c = 0
            while c + 8 <= width {
                let x = UnsafeRawPointer(row + c).loadUnaligned(as: SIMD8<Float>.self)
                lanes += x * x
                c += 8
            }
            var sum = Double(lanes.sum())
            while c < width {
                sum += Double(row[c]) * Double(row[c])
                c += 1
            }
            norms[r] = Float(sum.squareRoot())
        }
    }
}
