/// The on-disk layout a checkpoint was read from.
public enum CheckpointFormat: String, Sendable, Codable {
    /// A Hugging Face folder: `config.json` plus one or more `.safetensors` files.
    case safetensors
    /// A Hugging Face folder whose weights are PyTorch zip archives (`pytorch_model.bin`, or shards).
    case pytorch
    /// A single llama.cpp GGUF file.
    case gguf
}
