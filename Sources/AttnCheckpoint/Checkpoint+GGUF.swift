import Foundation

extension Checkpoint {
    /// Opens a GGUF file under the HF names and config that `view` gives it.
    /// `checkMetadata` judges the metadata before any tensor info is read.
    static func openGGUF(
        _ url: URL, checkMetadata: ([String: GGUFValue]) throws -> Void, view makeView: (GGUFFile) throws -> GGUFView
    ) throws -> Checkpoint {
        let gguf = try GGUFFile(url: url, checkMetadata: checkMetadata)
        let view = try makeView(gguf)
        var entries: [String: Entry] = [:]
        for (name, stored) in gguf.tensors {
            let (hfName, permutedHeads) = view.rename(name)
            if let heads = permutedHeads, !LlamaRowPermutation.isValid(rows: stored.shape.first ?? 0, heads: heads) {
                throw CheckpointError(
                    file: url.path, tensor: name,
                    "shape \(stored.shape) cannot be split into \(heads) heads of even size")
            }
            let info = TensorInfo(name: hfName, shape: stored.shape, dtype: stored.dtype)
            guard
                entries.updateValue(
                    Entry(info: info, source: .gguf(name: name, unpermuteHeads: permutedHeads)),
                    forKey: hfName) == nil
            else {
                throw CheckpointError(
                    file: url.path, tensor: name, "maps to '\(hfName)' which another tensor also maps to")
            }
        }
        return Checkpoint(
            url: url, format: .gguf, configData: try JSONEncoder().encode(["model_type": view.modelType]), gguf: gguf,
            tokenizerURL: nil, entries: entries, configuration: view.configuration)
    }
}
