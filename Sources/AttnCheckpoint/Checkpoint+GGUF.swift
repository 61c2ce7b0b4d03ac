import Foundation

extension Checkpoint {
    /// Opens a GGUF file of the `llama` architecture under HF tensor names,
    /// with the Q/K row permutation undone and an HF-style config synthesized.
    static func openGGUF(_ url: URL) throws -> Checkpoint {
        let gguf = try GGUFFile(url: url)
        let architecture = gguf.metadata["general.architecture"]?.string
        guard architecture == "llama" else {
            throw CheckpointError(file: url.path, key: "general.architecture",
                                  "unsupported architecture '\(architecture ?? "missing")' (only llama is read)")
        }
        let config = try LlamaConfig(gguf: gguf)
        var entries: [String: Entry] = [:]
        for (name, stored) in gguf.tensors {
            let (hfName, permutedHeads) = huggingFaceName(name, config: config)
            if let heads = permutedHeads, !LlamaRowPermutation.isValid(rows: stored.shape.first ?? 0, heads: heads) {
                throw CheckpointError(file: url.path, tensor: name,
                                      "shape \(stored.shape) cannot be split into \(heads) heads of even size")
            }
            let info = TensorInfo(name: hfName, shape: stored.shape, dtype: stored.dtype)
            guard entries.updateValue(Entry(info: info, source: .gguf(name: name, unpermuteHeads: permutedHeads)),
                                      forKey: hfName) == nil else {
                throw CheckpointError(file: url.path, tensor: name, "maps to '\(hfName)' which another tensor also maps to")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Checkpoint(url: url, format: .gguf, configData: try encoder.encode(config), gguf: gguf,
                          tokenizerURL: nil, entries: entries)
    }

    /// The HF name of a llama GGUF tensor and, for `attn_q` / `attn_k`, the
    /// head count whose row permutation must be undone. Names without an HF
    /// counterpart are kept as they are.
    static func huggingFaceName(_ name: String, config: LlamaConfig) -> (String, Int?) {
        switch name {
        case "token_embd.weight": return ("model.embed_tokens.weight", nil)
        case "output_norm.weight": return ("model.norm.weight", nil)
        case "output.weight": return ("lm_head.weight", nil)
        default: break
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), layer >= 0, parts[3] == "weight" else {
            return (name, nil)
        }
        let prefix = "model.layers.\(layer)."
        switch parts[2] {
        case "attn_q": return (prefix + "self_attn.q_proj.weight", config.numAttentionHeads)
        case "attn_k": return (prefix + "self_attn.k_proj.weight", config.numKeyValueHeads)
        case "attn_v": return (prefix + "self_attn.v_proj.weight", nil)
        case "attn_output": return (prefix + "self_attn.o_proj.weight", nil)
        case "ffn_gate": return (prefix + "mlp.gate_proj.weight", nil)
        case "ffn_up": return (prefix + "mlp.up_proj.weight", nil)
        case "ffn_down": return (prefix + "mlp.down_proj.weight", nil)
        case "attn_norm": return (prefix + "input_layernorm.weight", nil)
        case "ffn_norm": return (prefix + "post_attention_layernorm.weight", nil)
        default: return (name, nil)
        }
    }
}
