/// The nanochat family's place in ``ModelRegistry``: run folders of
/// karpathy/nanochat (`model_<step>.pt` + `meta_<step>.json`), whose config
/// `Checkpoint` presents under `model_type` `nanochat`.
extension Nanochat: ModelFamily {
    static let name = "nanochat"
    static let modelTypes = ["nanochat"]
    static let summary =
        "karpathy/nanochat run folders (model_<step>.pt + meta_<step>.json): value embeddings gated per kv head, smear gate, lambda-mixed residuals, q/k norm, S/L sliding windows, relu² MLP"
}
