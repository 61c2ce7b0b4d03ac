import Foundation

extension Checkpoint {
    /// Opens a Hugging Face folder: `config.json` plus `model.safetensors` or
    /// the shards listed by `model.safetensors.index.json`.
    static func openFolder(_ folder: URL) throws -> Checkpoint {
        let configURL = folder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw CheckpointError(file: folder.path, "missing config.json")
        }
        let configData = try readJSONFile(configURL)
        let single = folder.appendingPathComponent("model.safetensors")
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        var entries: [String: Entry] = [:]
        var undecodable: [String: SafetensorsFile] = [:]
        func add(_ file: SafetensorsFile, only names: Set<String>?) {
            for (name, info) in file.tensors where names?.contains(name) ?? true {
                entries[name] = Entry(info: info, source: .safetensors(file))
            }
            for name in file.otherTensors.keys where names?.contains(name) ?? true {
                undecodable[name] = file
            }
        }
        if FileManager.default.fileExists(atPath: single.path) {
            add(try SafetensorsFile(url: single), only: nil)
        } else if FileManager.default.fileExists(atPath: index.path) {
            for (file, names) in try shards(index: index, folder: folder) {
                add(file, only: names)
            }
        } else {
            throw CheckpointError(file: folder.path, "no weights file (model.safetensors or model.safetensors.index.json)")
        }
        let tokenizer = folder.appendingPathComponent("tokenizer.json")
        return Checkpoint(url: folder, format: .safetensors, configData: configData,
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

    /// The shard files named by an index's `weight_map`, each with the
    /// tensor names it must provide.
    private static func shards(index: URL, folder: URL) throws -> [(SafetensorsFile, Set<String>)] {
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
            throw CheckpointError(file: index.path, key: "weight_map", "bad JSON: \(SafetensorsHeader.describe(error))")
        }
        var byFile: [String: Set<String>] = [:]
        for (name, file) in map { byFile[file, default: []].insert(name) }
        var result: [(SafetensorsFile, Set<String>)] = []
        for (fileName, names) in byFile.sorted(by: { $0.key < $1.key }) {
            guard !fileName.contains("/"), fileName != "..", fileName != "." else {
                throw CheckpointError(file: index.path, key: "weight_map", "shard '\(fileName)' is not a file in the folder")
            }
            let shard = try SafetensorsFile(url: folder.appendingPathComponent(fileName))
            for name in names.sorted() where shard.tensors[name] == nil && shard.otherTensors[name] == nil {
                throw CheckpointError(file: index.path, tensor: name, "tensor '\(name)' not found in shard \(fileName)")
            }
            result.append((shard, names))
        }
        return result
    }
}
