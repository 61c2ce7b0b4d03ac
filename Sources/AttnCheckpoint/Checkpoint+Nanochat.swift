import Foundation

/// nanochat run folders: `model_<step>.pt` (`torch.save(model.state_dict())`)
/// beside `meta_<step>.json`, whose `model_config` holds the hyperparameters.
extension Checkpoint {
    /// The step of a nanochat model file name, `model_000100.pt` → `"000100"`; nil for any other name.
    public static func nanochatStep(_ fileName: String) -> String? {
        guard fileName.hasPrefix("model_"), fileName.hasSuffix(".pt") else { return nil }
        let digits = fileName.dropFirst("model_".count).dropLast(".pt".count)
        guard (1...12).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return nil
        }
        return String(digits)
    }

    /// The model file of the last step of the nanochat run in `folder` that
    /// has both its `model_<step>.pt` and its `meta_<step>.json`, nil when the folder holds none.
    static func nanochatModel(in folder: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let steps = names.compactMap(nanochatStep).filter { names.contains("meta_\($0).json") }
        guard let last = steps.max(by: { Int($0) ?? 0 < Int($1) ?? 0 }) else { return nil }
        return folder.appendingPathComponent("model_\(last).pt")
    }

    /// Opens the nanochat model file `model` (`model_<step>.pt`) with its
    /// `meta_<step>.json`: the config is `{"model_type": "nanochat", "step": …,
    /// "model_config": …}`; the tensors are the state dict's, `_orig_mod.` dropped.
    /// A `tokenizer.json` beside the model file is its tokenizer (nanochat's
    /// `tokenizer.pkl` converted by `notebooks-data/nanochat_tokenizer.py`); the
    /// pickle itself is never read, so without one prompts give token ids.
    static func openNanochat(_ model: URL) throws -> Checkpoint {
        guard let step = nanochatStep(model.lastPathComponent) else {
            throw CheckpointError(file: model.path, "not a nanochat model file (model_<step>.pt)")
        }
        let metaURL = model.deletingLastPathComponent().appendingPathComponent("meta_\(step).json")
        guard FileManager.default.fileExists(atPath: metaURL.path) else {
            throw CheckpointError(
                file: model.path, "missing meta_\(step).json beside it (nanochat keeps the model_config there)")
        }
        let meta = try readJSONFile(metaURL)
        guard let object = try? JSONSerialization.jsonObject(with: meta) as? [String: Any],
            let modelConfig = object["model_config"] as? [String: Any]
        else {
            throw CheckpointError(file: metaURL.path, key: "model_config", "missing or not a JSON object")
        }
        let config: [String: Any] = ["model_type": "nanochat", "step": Int(step) ?? 0, "model_config": modelConfig]
        let configData = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        let file = try PyTorchFile(url: model)
        var entries: [String: Entry] = [:]
        for (name, info) in file.tensors { entries[name] = Entry(info: info, source: .file(file)) }
        let tokenizer = model.deletingLastPathComponent().appendingPathComponent("tokenizer.json")
        let tokenizerURL = FileManager.default.fileExists(atPath: tokenizer.path) ? tokenizer : nil
        return Checkpoint(
            url: model, format: .pytorch, configData: configData, gguf: nil, tokenizerURL: tokenizerURL,
            entries: entries, undecodable: file.otherTensors.mapValues { _ in file })
    }
}
