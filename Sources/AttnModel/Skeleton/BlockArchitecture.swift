import AttnKernels

/// One architecture as the shared forward pass runs it.
///
/// The skeleton (``run(batch:observers:)``) owns what every family shares:
/// the batch of stacked prompts, the activation buffers (``ActivationPlan``),
/// the loop over blocks, attention with its observers and streamed
/// statistics, the paper's variants (``VariantHooks``) and each block's
/// capture. A family supplies only what makes it that family: its
/// embeddings, how a block makes its queries, keys and values, and what a
/// block does with the attention output (projection, residual, MLP, norms).
///
/// Every hook works on all rows of the batch at once, prompt `s` at rows
/// `pass.batch.prompts[s]`; position-dependent steps (RoPE, learned
/// positions) restart at 0 for each prompt.
protocol BlockArchitecture: TransformerModel {
    /// One block's weights.
    associatedtype Block: Sendable
    /// What a pass computes once for all blocks (RoPE tables), from the longest prompt.
    associatedtype Tables = Void

    var blocks: [Block] { get }
    /// The variant's steps; plain unless the family runs the paper's variants.
    var variant: VariantHooks { get }
    /// Keeps the activations between passes.
    var pool: ActivationPool { get }

    /// The buffers the family's hooks use, as floats per token row.
    var activations: ActivationPlan { get }
    /// Computes the pass's tables for prompts of up to `longest` tokens.
    func tables(longest: Int) -> Tables
    /// Writes `h[0]` of every prompt into `.residual`.
    func embed(_ pass: ForwardPass<Tables>) throws
    /// Before block `layer` reads the residual stream (nanochat's scalar mix); nothing by default.
    func enter(layer: Int, _ pass: ForwardPass<Tables>)
    /// Writes the block's `.queries` and (when it has them) `.keys` and
    /// `.values`, token-major (head `h` of a token at `h·d`), ready for the
    /// softmax: RoPE and any q/k norms applied. A block without its own keys
    /// or values (CLA, SVFormer) leaves the previous block's in place.
    func attentionInputs(_ block: Block, layer: Int, _ pass: ForwardPass<Tables>)
    /// The block's sliding window (nil: all earlier keys, or all keys for an encoder).
    func window(_ block: Block) -> Int?
    /// Multiplies `q·k` before the softmax.
    func scoreScale(_ block: Block) -> Float
    /// Each head's learned sink logit, one more softmax slot that is dropped (GPT-OSS); nil by default.
    func sinks(_ block: Block) -> [Float]?
    /// Added to the block's scaled scores by head and key − query offset (MPNet); nil by default.
    func scoreBias(_ block: Block, _ pass: ForwardPass<Tables>) -> RelativePositionBias?
    /// Measures what the block's output projection makes of each head's values and outputs.
    func headNorms(_ block: Block) -> HeadNormFactors
    /// From `.attended` to the block's output in `.residual`: the output
    /// projection, the residual additions, the MLP and their norms.
    func finish(_ block: Block, layer: Int, _ pass: ForwardPass<Tables>)
    /// Extra rows of block `layer`'s capture for prompt `rows` (nanochat's value embeddings); nil by default.
    func valueEmbedding(_ block: Block, _ pass: ForwardPass<Tables>, rows: Range<Int>) -> ValueEmbeddingRows?
}

/// What every hook of one forward pass sees: the batch, its ids, the activation buffers and the pass's tables.
struct ForwardPass<Tables> {
    /// The prompts' rows, back to back.
    let batch: Batch
    /// The ids of every row of the batch, in row order.
    let tokens: [Int]
    /// The activation buffers, `[rows, width]` each.
    let activations: ActivationTable
    let tables: Tables

    /// All rows of the batch.
    var rows: Int { batch.rows }
    /// The buffer `name`.
    subscript(_ name: ActivationName) -> FloatBuffer { activations[name] }
}

extension BlockArchitecture where Tables == Void {
    func tables(longest: Int) {}
}

extension BlockArchitecture {
    var variant: VariantHooks { .plain(layers: blocks.count) }
    func enter(layer: Int, _ pass: ForwardPass<Tables>) {}
    func valueEmbedding(_ block: Block, _ pass: ForwardPass<Tables>, rows: Range<Int>) -> ValueEmbeddingRows? { nil }
    func scoreScale(_ block: Block) -> Float { 1 / Float(description.headDim).squareRoot() }
    func scoreBias(_ block: Block, _ pass: ForwardPass<Tables>) -> RelativePositionBias? { nil }
    func sinks(_ block: Block) -> [Float]? { nil }

    /// The buffers of a pass: the family's, the variant's and the capture's.
    var plan: ActivationPlan {
        var plan = activations
        plan.include(.capturedValues, width: description.kvHeads * description.headDim)
        variant.plan(&plan, of: description)
        return plan
    }
}

extension BlockArchitecture {
    /// The plan's buffers for `rows` rows and the workers' scratch, saturating at `Int.max`.
    func activationBytes(rows: Int) -> Int {
        let (sum, overflow) = plan.bytes(rows: rows).addingReportingOverflow(description.workBytes(tokens: rows))
        return overflow ? .max : sum
    }
}
