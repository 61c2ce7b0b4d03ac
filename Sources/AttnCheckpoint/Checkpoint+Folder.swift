import Foundation

extension Checkpoint {
    /// The weights a Hugging Face folder may hold, in the order they are
    /// looked for (safetensors first, as Transformers prefers it): the file
    /// name, its sharded index, the format, how to open one file and the
    /// name a file exposes for a name of the index.
    private static let weightsLayouts: [WeightsLayout] = [
        WeightsLayout(
            single: "model.safetensors", index: "model.safetensors.index.json", format: .safetensors,
            open: { try SafetensorsFile(url: $0) }, exposedName: { $0 }),
        WeightsLayout(
            single: "pytorch_model.bin", index: "pytorch_model.bin.index.json", format: .pytorch,
            open: { try PyTorchFile(url: $0) }, exposedName: PyTorchFile.exposedName),
    ]

    /// One way a Hugging Face folder stores its weights.
    private struct WeightsLayout: Sendable {
        let single: String
        let index: String
        let format: CheckpointFormat
        let open: @Sendable (URL) throws -> any TensorFile
        let exposedName: @Sendable (String) -> String
    }

    /// Opens a Hugging Face folder: `config.json` plus `model.safetensors`,
    /// `pytorch_model.bin`, or the shards listed by either one's `.index.json`.
    static func openFolder(_ folder: URL) throws -> Checkpoint {
        let configURL = folder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw CheckpointError(file: folder.path, "missing config.json")
        }
        let configData = try readJSONFile(configURL)
        func exists(_ name: String) -> Bool {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
        }
        guard let layout = weightsLayouts.first(where: { exists($0.single) || exists($0.index) }) else {
            let names = weightsLayouts.flatMap { [$0.single, $0.index] }.joined(separator: ", ")
            throw CheckpointError(file: folder.path, "no weights file (\(names))")
        }
        var entries: [String: Entry] = [:]
        var undecodable: [String: any TensorFile] = [:]
        func add(_ file: any TensorFile, only names: Set<String>?) {
            for (name, info) in file.tensors where names?.contains(name) ?? true {
                entries[name] = Entry(info: info, source: .file(file))
            }
            for name in file.otherTensors.keys where names?.contains(name) ?? true {
                undecodable[name] = file
            }
        }
        if exists(layout.single) {
            add(try layout.open(folder.appendingPathComponent(layout.single)), only: nil)
        } else {
            for (file, names) in try shards(
                index: folder.appendingPathComponent(layout.index), folder: folder, layout: layout)
            {
                add(file, only: names)
            }
        }
        let tokenizer = folder.appendingPathComponent("tokenizer.json")
        return Checkpoint(
            url: folder, format: layout.format, configData: configData,
            gguf: nil, tokenizerURL: FileManager.default.fileExists(atPath: tokenizer.path) ? tokenizer : nil,
            entries: entries, undecodable: undecodable)
    }

    /// The bytes of a JSON file, after checking they parse as a JSON object.
    static func readJSONFile(_ url: URL) throws -> Data {
        let data = try InputFile.contents(of: url, limit: InputFile.Limit.config)
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw CheckpointError(file: url.path, "not a valid JSON object")
        }
        return data
    }

    /// The shard files named by an index's `weight_map`, opened as `layout`
    /// says, each with the (exposed) tensor names it must provide.
    private static func shards(index: URL, folder: URL, layout: WeightsLayout) throws -> [(any TensorFile, Set<String>)]
    {
        struct Index: Decodable {
            let weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let map: [String: String]
        do {
            map = try JSONDecoder().decode(Index.self, from: try readJSONFile(index)).weightMap
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointError(
                file: index.path, key: "weight_map", "bad JSON: \(DecodingError.oneLineDescription(of: error))")
        }
        var byFile: [String: Set<String>] = [:]
        for (name, file) in map { byFile[file, default: []].insert(layout.exposedName(name)) }
        var result: [(any TensorFile, Set<String>)] = []
        for (fileName, names) in byFile.sorted(by: { $0.key < $1.key }) {
            guard !fileName.contains("/"), fileName != "..", fileName != "." else {
                throw CheckpointError(
                    file: index.path, key: "weight_map", "shard '\(fileName)' is not a file in the folder")
            }
            let shard = try layout.open(folder.appendingPathComponent(fileName))
            for name in names.sorted() where shard.tensors[name] == nil && shard.otherTensors[name] == nil {
                throw CheckpointError(file: index.path, tensor: name, "tensor '\(name)' not found in shard \(fileName)")
            }
            result.append((shard, names))
        }
        return result
    }
}
