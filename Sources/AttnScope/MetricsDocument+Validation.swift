import AttnCheckpoint

extension MetricsDocument {
    /// Checks that the counts a figure is sized from agree with each other
    /// and lie within ``ModelLimits``, so a hand-edited or hostile
    /// `metrics.json` fails with one line instead of an overflow or a huge
    /// allocation. `file` names the document in errors.
    func validate(file: String) throws {
        func bad(_ message: String) -> ScopeError { .badInput("\(file): \(message)") }
        let layers = model.layers, heads = model.heads
        guard ModelLimits.layers.contains(layers) else { throw bad("model.layers \(layers) is outside \(ModelLimits.layers)") }
        guard ModelLimits.heads.contains(heads) else { throw bad("model.heads \(heads) is outside \(ModelLimits.heads)") }
        guard summary.layers.count == layers, summary.hiddenStates.count == layers + 1 else {
            throw bad("summary has \(summary.layers.count) layers and \(summary.hiddenStates.count) hidden states for a model of \(layers) layers")
        }
        for (index, sample) in samples.enumerated() {
            let t = sample.tokenIDs.count
            guard ModelLimits.contextLength.contains(t), sample.tokens.count == t else {
                throw bad("samples[\(index)] has \(t) token ids and \(sample.tokens.count) tokens")
            }
            guard sample.layers.count == layers, sample.hiddenStates.count == layers + 1 else {
                throw bad("samples[\(index)] has \(sample.layers.count) layers and \(sample.hiddenStates.count) hidden states for a model of \(layers) layers")
            }
            for (l, layer) in sample.layers.enumerated() where layer.heads.count != heads || layer.valueNorm.count != t {
                throw bad("samples[\(index)].layers[\(l)] has \(layer.heads.count) heads and \(layer.valueNorm.count) value norms (expected \(heads) and \(t))")
            }
            for (h, hidden) in sample.hiddenStates.enumerated() where hidden.hiddenNorm.count != t {
                throw bad("samples[\(index)].hidden_states[\(h)] has \(hidden.hiddenNorm.count) norms for \(t) tokens")
            }
        }
    }
}
