/// One activation buffer of a forward pass, named by what it holds; each is
/// `[rows, width]` row-major, one row per token of the batch.
enum ActivationName: Hashable, Sendable, CaseIterable {
    /// The residual stream `x`, `[rows, D]`.
    case residual
    /// A normalised copy of the residual stream, `[rows, D]`.
    case normed
    /// A projection's output before it is added to the residual, `[rows, D]`.
    case projected
    /// Queries, `[rows, H·d]`, head `h` of a token at `h·d`.
    case queries
    /// Keys, `[rows, G·d]`.
    case keys
    /// Values as the block's projection makes them, `[rows, G·d]`.
    case values
    /// Every head's attention output, `[rows, H·d]`, laid out as the queries.
    case attended
    /// The MLP's hidden activations (the gate in a gated MLP), `[rows, inner]`.
    case hidden
    /// A gated MLP's up projection, `[rows, inner]`.
    case up
    /// A fused projection's output before it is split into queries, keys and values.
    case fusedProjection
    /// The values handed to observers, `[rows, G·d]` regrouped head-major per prompt.
    case capturedValues
    /// Block 0's values, kept for the value-residual variants, `[rows, G·d]`.
    case firstValues
    /// The values a value-residual block attends with, `[rows, G·d]`.
    case mixedValues
    /// DenseFormer's block outputs `X_0 … X_L`, `[L+1, rows, D]`.
    case blockOutputs
    /// The residual stream as it entered block 0 (nanochat's `x0`), `[rows, D]`.
    case firstResidual
    /// Per token and kv head, a gate and the norm of what it adds (nanochat's value embeddings), `[rows, G]` each.
    case valueGates, valueGateNorms
    /// A mixture of experts' router logits, `[rows, experts]`.
    case routerLogits
    /// The rows routed to one expert, gathered, `[rows, D]`, and that expert's outputs for them, `[rows, D]`.
    case expertInputs, expertOutputs
    /// One expert's decoded weights: its `[D, 2I]` gate/up and `[I, D]` down projections (not per row).
    case expertGateUp, expertDown
}
