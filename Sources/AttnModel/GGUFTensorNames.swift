/// llama.cpp's GGUF tensor names under HF's: the three model-level tensors,
/// and `blk.N.<stem>.<kind>` through a family's table of block stems.
struct GGUFTensorNames: Sendable {
    /// A GGUF block stem (`attn_q`) → the HF module inside `model.layers.N.` (`self_attn.q_proj`).
    let blockStems: [String: String]
    /// The tensor kinds the family maps (`weight`, and `bias` where it has biases).
    let kinds: Set<String>

    /// The HF name of GGUF tensor `name`, with the block stem it came through
    /// (nil for model-level tensors). Names without an HF counterpart are kept as they are.
    func huggingFace(_ name: String) -> (name: String, stem: String?, kind: String?) {
        switch name {
        case "token_embd.weight": return ("model.embed_tokens.weight", nil, nil)
        case "output_norm.weight": return ("model.norm.weight", nil, nil)
        case "output.weight": return ("lm_head.weight", nil, nil)
        default: break
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), layer >= 0,
            kinds.contains(String(parts[3])), let module = blockStems[String(parts[2])]
        else {
            return (name, nil, nil)
        }
        return ("model.layers.\(layer).\(module).\(parts[3])", String(parts[2]), String(parts[3]))
    }
}
