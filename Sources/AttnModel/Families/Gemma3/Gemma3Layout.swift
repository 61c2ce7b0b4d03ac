import AttnCheckpoint

/// Where a Gemma 3 checkpoint keeps its text model: a `gemma3_text` config
/// (`Gemma3ForCausalLM`) at `model.`, or the `text_config` of a `gemma3`
/// config (`Gemma3ForConditionalGeneration`) at `model.language_model.`
/// (transformers 5) or `language_model.model.` (4.x).
///
/// A multimodal checkpoint runs as its language model: for text-only
/// prompts HF's `Gemma3Model` never calls the vision tower or the projector,
/// so their tensors are read by nothing and ignored by name.
struct Gemma3Layout {
    let config: Gemma3Configuration
    /// Prepended to the text model's tensor names (`layers.N.…`, `embed_tokens.weight`).
    let prefix: String
    /// Whether the checkpoint also holds a vision tower and projector.
    let multimodal: Bool

    init(checkpoint: Checkpoint) throws {
        let path = checkpoint.url.path
        let top = try WeightLoader.decodeConfig(Top.self, from: checkpoint)
        guard top.modelType == "gemma3" else {
            config = try WeightLoader.decodeConfig(Gemma3Configuration.self, from: checkpoint)
            prefix = "model."
            multimodal = false
            return
        }
        guard let text = top.textConfig else {
            throw ModelError(
                path: path,
                "config.json: a gemma3 config without text_config is not supported (HF would fill in Gemma3TextConfig's defaults)"
            )
        }
        config = text
        multimodal = true
        guard
            let found = ["model.language_model.", "language_model.model."].first(where: {
                checkpoint.contains($0 + "embed_tokens.weight")
            })
        else {
            throw ModelError(
                path: path,
                "tensor 'model.language_model.embed_tokens.weight' (or 'language_model.model.embed_tokens.weight') not found: no Gemma 3 language model in this gemma3 checkpoint"
            )
        }
        prefix = found
    }

    /// Tensors the probe has no use for, by name without ``prefix`` (full
    /// names outside it): the LM head and the final norm (capture stops at
    /// the last block's output, before that norm, as HF's hooks in the
    /// golden data do) and, in a multimodal checkpoint, the vision tower and
    /// projector. Anything else left unread is refused.
    func isUnused(_ name: String) -> Bool {
        if name == "norm.weight" || name == "lm_head.weight" { return true }
        guard multimodal else { return false }
        return name == "language_model.lm_head.weight"
            || ["model.vision_tower.", "model.multi_modal_projector.", "vision_tower.", "multi_modal_projector."]
                .contains { name.hasPrefix($0) }
    }

    private struct Top: Decodable {
        let modelType: String
        let textConfig: Gemma3Configuration?
        enum CodingKeys: String, CodingKey {
            case modelType = "model_type"
            case textConfig = "text_config"
        }
    }
}
