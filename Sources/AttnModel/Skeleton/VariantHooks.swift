import AttnKernels

/// The paper's variants as steps of the shared forward pass, resolved per
/// block (0-based: block `l` is the paper's block `l+1`): ResFormer's value
/// mix before attention, NeuTRENO's correction after it, DenseFormer's
/// depth average after the block. SVFormer and CLA need no step: a block
/// without its own values or keys attends with the ones left in the buffers.
struct VariantHooks: Sendable {
    /// `V' = current·V + first·V_first` for blocks that mix (ResFormer).
    var mix: [ValueMix?]
    /// NeuTRENO: `U += λ·(V_first − V')` before the output projection, per block.
    var correction: [Float?]
    /// DenseFormer: after block `l`, the weights of `X_0 … X_{l+1}` (`l+2` of them).
    var denseWeights: [[Float]]?

    struct ValueMix: Sendable, Equatable {
        var current: Float
        var first: Float
    }

    /// A plain transformer of `layers` blocks: no step at all.
    static func plain(layers: Int) -> VariantHooks {
        VariantHooks(mix: Array(repeating: nil, count: layers), correction: Array(repeating: nil, count: layers))
    }

    /// True when a block needs block 0's values.
    private var keepsFirstValues: Bool { mix.contains { $0 != nil } || correction.contains { $0 != nil } }

    /// Adds the buffers the steps use to `plan`.
    func plan(_ plan: inout ActivationPlan, of model: ModelDescription) {
        let kvWidth = model.kvHeads * model.headDim
        if keepsFirstValues { plan.include(.firstValues, width: kvWidth) }
        if mix.contains(where: { $0 != nil }) { plan.include(.mixedValues, width: kvWidth) }
        if denseWeights != nil {
            let (width, overflow) = (model.layers + 1).multipliedReportingOverflow(by: model.hiddenSize)
            plan.include(.blockOutputs, width: overflow ? .max : width)
        }
    }

    /// Before block 0: DenseFormer keeps `X_0`.
    func start(_ a: ActivationTable, rows: Int, width: Int) {
        guard denseWeights != nil else { return }
        a[.blockOutputs].pointer.update(from: a[.residual].pointer, count: rows * width)
    }

    /// The values block `layer` attends with: its own (kept as `V_first` in
    /// block 0) or, in a value-residual block, their mix with block 0's.
    func values(layer: Int, _ a: ActivationTable, count: Int) -> FloatBuffer {
        let values = a[.values]
        if layer == 0, keepsFirstValues { a[.firstValues].pointer.update(from: values.pointer, count: count) }
        guard let mix = mix[layer] else { return values }
        let first = a[.firstValues].pointer, mixed = a[.mixedValues].pointer
        for i in 0..<count { mixed[i] = mix.current * values.pointer[i] + mix.first * first[i] }
        return a[.mixedValues]
    }

    /// NeuTRENO: `U += λ·(V_first − V')` (kv heads = heads, so values and
    /// outputs share a layout).
    func correct(layer: Int, _ a: ActivationTable, consumed: FloatBuffer, count: Int) {
        guard let lambda = correction[layer] else { return }
        let attended = a[.attended].pointer, first = a[.firstValues].pointer
        for i in 0..<count { attended[i] += lambda * (first[i] - consumed.pointer[i]) }
    }

    /// DenseFormer after block `layer`: stores `x` as `X_{l+1}`, then replaces
    /// it with `Σ_{j=0…l+1} weights[j]·X_j`.
    func finish(layer l: Int, _ a: ActivationTable, count: Int) {
        guard let weights = denseWeights?[l] else { return }
        let x = a[.residual].pointer, outputs = a[.blockOutputs].pointer
        (outputs + (l + 1) * count).update(from: x, count: count)
        x.update(repeating: 0, count: count)
        for (j, weight) in weights.enumerated() {
            let source = outputs + j * count
            for i in 0..<count { x[i] += weight * source[i] }
        }
    }
}
