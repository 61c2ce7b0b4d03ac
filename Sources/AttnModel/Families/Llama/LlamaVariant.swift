import AttnCheckpoint

/// How a Llama-family checkpoint deviates from a plain transformer, resolved
/// from the weights, the config's `attnscope_variant` and `--variant`.
///
/// Block indices are 0-based here (block `l` is the paper's block `l+1`).
struct LlamaVariant: Sendable {
    /// The variant's name in `--variant` spelling.
    var name: String
    /// The steps the shared forward pass takes for the variant.
    var hooks: VariantHooks
    /// Set when `--variant` asked for a computation the checkpoint was not trained with (nothing in
    /// its config or weights declares it): "variant resformer applied to a checkpoint trained as transformer".
    var counterfactual: String?

    typealias ValueMix = VariantHooks.ValueMix

    /// The tensor holding block `layer`'s two learnable ResFormer scalars
    /// `[λ_{n,1} (first-layer values), λ_{n,2} (own values)]`.
    static func lambdaTensor(_ layer: Int) -> String { "model.layers.\(layer).self_attn.value_residual_lambda" }
    /// The tensor holding DenseFormer's weights after block `layer`, `[layer + 2]`.
    static func denseTensor(_ layer: Int) -> String { "model.dense_weights.\(layer)" }

    /// Resolves the variant, or throws when the request contradicts the weights.
    static func resolve(
        request: VariantRequest, declared: String?, hasKey: [Bool], hasValue: [Bool],
        heads: Int, kvHeads: Int, loader: WeightLoader
    ) throws -> LlamaVariant {
        let path = loader.checkpoint.url.path
        let layers = hasKey.count
        func fail(_ message: String) -> ModelError { ModelError(path: path, message) }

        var effective = request
        if let declared {
            let fromConfig: VariantRequest
            do { fromConfig = try VariantRequest(parsing: declared) } catch {
                throw fail("config.json: attnscope_variant: \(error)")
            }
            if request == .auto {
                effective = fromConfig
            } else if request != fromConfig {
                throw fail("--variant \(request) contradicts config.json's attnscope_variant '\(declared)'")
            }
        }

        guard hasKey.first == true, hasValue.first == true else {
            throw fail("block 0 has no k_proj/v_proj: the first block must own its keys and values")
        }
        let withoutKey = (0..<layers).filter { !hasKey[$0] }
        let withoutValue = (0..<layers).filter { !hasValue[$0] }
        if let odd = withoutKey.first(where: { hasValue[$0] }) {
            throw fail("block \(odd) has v_proj but no k_proj: not a layout attnscope knows")
        }
        // What the weights alone say: blocks without v_proj but with k_proj
        // share the first values (SVFormer); blocks without both share an
        // earlier block's keys and values (CLA).
        let sharesValues = withoutValue.contains { hasKey[$0] }
        let sharesKeys = !withoutKey.isEmpty
        let detected = [sharesValues ? "svformer" : nil, sharesKeys ? "cla" : nil].compactMap { $0 }.joined(
            separator: "+")
        let blockList =
            withoutValue.prefix(6).map(String.init).joined(separator: ", ") + (withoutValue.count > 6 ? ", …" : "")

        let name: String
        switch effective {
        case .auto:
            name = detected.isEmpty ? "transformer" : detected
        case .svformer:
            let owning = (1..<max(layers, 1)).filter { hasValue[$0] }
            guard owning.isEmpty else {
                let list = owning.prefix(6).map(String.init).joined(separator: ", ")
                throw fail(
                    "--variant svformer, but blocks \(list) have their own v_proj (SVFormer blocks after the first have none)"
                )
            }
            name = detected
        case .cla:
            guard sharesKeys else { throw fail("--variant cla, but every block has its own k_proj and v_proj") }
            name = detected
        case .transformer, .resformer, .neutreno, .neutrenoResformer, .denseformer:
            guard withoutValue.isEmpty else {
                throw fail(
                    "variant \(effective) needs every block's v_proj, but blocks \(blockList) have none (the weights say \(detected))"
                )
            }
            name = effective.description
        }
        // What the checkpoint was trained as: its config says so, or weights only that variant has.
        let trainedAs =
            declared.flatMap { try? VariantRequest(parsing: $0).description }
            ?? (layers > 1 && loader.contains(lambdaTensor(1))
                ? VariantRequest.resformer(.learnable).description
                : loader.contains(denseTensor(0))
                    ? VariantRequest.denseformer.description
                    : detected.isEmpty ? VariantRequest.transformer.description : detected)
        var variant = LlamaVariant(
            name: name,
            hooks: .plain(layers: layers),
            counterfactual: request != .auto && name != trainedAs
                ? "variant \(name) applied to a checkpoint trained as \(trainedAs)" : nil
        )

        func requireFullHeads(_ what: String) throws {
            guard kvHeads == heads else {
                throw fail(
                    "\(what) adds V_1 − V_n to the attention output and needs kv heads = heads (this checkpoint has \(kvHeads) kv heads for \(heads) heads)"
                )
            }
        }
        switch effective {
        case .resformer(.identity):
            for l in 1..<max(layers, 1) { variant.hooks.mix[l] = ValueMix(current: 0.5, first: 0.5) }
        case .resformer(.constant(let lambda)):
            for l in 1..<max(layers, 1) { variant.hooks.mix[l] = ValueMix(current: 1, first: lambda) }
        case .resformer(.learnable):
            for l in 1..<max(layers, 1) {
                let name = lambdaTensor(l)
                guard loader.contains(name) else {
                    throw fail("resformer:learnable needs tensor '\(name)' (shape [2]: λ for V_1, λ for V_n)")
                }
                let lambdas = try loader.floats(name, [2])
                variant.hooks.mix[l] = ValueMix(current: lambdas[1], first: lambdas[0])
            }
        case .neutreno(let lambda):
            try requireFullHeads("neutreno")
            for l in 1..<max(layers, 1) { variant.hooks.correction[l] = lambda }
        case .neutrenoResformer:
            try requireFullHeads("neutreno+resformer")
            for l in 1..<max(layers, 1) {
                variant.hooks.mix[l] = ValueMix(current: 0.5, first: 0.5)
                variant.hooks.correction[l] = 0.2
            }
        case .denseformer:
            variant.hooks.denseWeights = try (0..<layers).map { l in
                let name = denseTensor(l)
                guard loader.contains(name) else {
                    throw fail("denseformer needs tensor '\(name)' (shape [\(l + 2)]: weights of X_0 … X_\(l + 1))")
                }
                return try loader.floats(name, [l + 2])
            }
        case .auto, .transformer, .svformer, .cla:
            break
        }
        return variant
    }
}
