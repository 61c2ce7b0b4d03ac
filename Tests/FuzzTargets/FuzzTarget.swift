import Foundation

/// The fuzz targets: each takes arbitrary bytes, feeds them to one reader of
/// outside input and everything that reader's result flows into, and must
/// return (whatever it throws) without a trap, a signal, a hang or a
/// runaway allocation.
///
/// The libFuzzer driver (`Tests/Fuzz/Driver`) and the replay test of the
/// committed crash corpus (`FuzzReplayTests`) both call ``run(_:)``.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A `.gguf` file: header, metadata, tensor infos, every tensor decoded,
    /// the synthesized config, the model and its GGUF tokenizer run on three tokens.
    case gguf
    /// A `model.safetensors` beside the tiny Llama's config.json: header, every tensor, the model.
    case safetensors
    /// A `pytorch_model.bin` beside a 1-block Llama's config.json (`Tests/Fixtures/pytorch/micro-llama`):
    /// the zip directory, the restricted unpickler, every tensor, the model.
    case pytorch
    /// A `config.json` for one of the tiny fixtures' weights (the first byte picks the fixture):
    /// family dispatch, config decoding and validation, variants, a three-token forward pass.
    case config
    /// A `tokenizer.json`, then (after the first NUL byte) text to encode with and without special tokens.
    case tokenizer
    /// A prompt file (JSON Lines or plain text).
    case prompts
    /// A `metrics.json`, a NUL byte, then its `samples.jsonl`, given to `render`: decoding,
    /// validation, every standard figure.
    case metrics
    /// A `.npy` attention map.
    case npy
    /// A `normalizer` value for a small tokenizer.json, then (after the first NUL byte) text to encode.
    case normalizer
    /// A run folder resumed by `analyze` (flags, run.json, samples.jsonl, metrics.json; links and FIFOs planted).
    case resume
    /// Two shard folders merged (flags, then each shard's metrics.json and samples.jsonl; links and FIFOs planted).
    case merge

    /// Runs the target on `data`.
    public func run(_ data: Data) {
        switch self {
        case .gguf: FuzzCheckpoint.gguf(data)
        case .safetensors: FuzzCheckpoint.safetensors(data)
        case .pytorch: FuzzCheckpoint.pytorch(data)
        case .config: FuzzCheckpoint.config(data)
        case .tokenizer: FuzzText.tokenizer(data)
        case .prompts: FuzzText.prompts(data)
        case .metrics: FuzzResults.metrics(data)
        case .npy: FuzzResults.npy(data)
        case .normalizer: FuzzText.normalizer(data)
        case .resume: FuzzRunFolder.resume(data)
        case .merge: FuzzRunFolder.merge(data)
        }
    }
}
