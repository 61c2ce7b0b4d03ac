import Foundation

/// A model's weights and configuration, from a Hugging Face folder
/// (safetensors or `pytorch_model.bin`) or a llama.cpp GGUF file, under Hugging Face tensor names (a GGUF
/// file's names and config come from its family's ``GGUFView``).
///
/// Tensors are decoded to float32 on request, row-major in `info(name).shape`
/// (PyTorch order: a Linear weight is `[out, in]`).
public struct Checkpoint: Sendable {
    /// The folder, `.gguf` file or nanochat `model_<step>.pt` file that was opened
    /// (a nanochat run folder opens as its last step's model file).
    public let url: URL
    /// Which format `url` holds.
    public let format: CheckpointFormat
    /// The folder's `config.json` bytes; for GGUF, only `{"model_type": …}`
    /// (its configuration is ``configuration``); for nanochat, its
    /// `meta_<step>.json`'s `model_config` under `{"model_type": "nanochat"}`.
    public let configData: Data
    /// For GGUF, the family's configuration read from the metadata (``GGUFView/configuration``); nil otherwise.
    public let configuration: (any Sendable)?
    /// The GGUF file, for tokenizer metadata and inspection (nil for a folder).
    public let gguf: GGUFFile?
    /// `<folder>/tokenizer.json` when it exists.
    public let tokenizerURL: URL?
    /// Every readable tensor name, sorted.
    public let tensorNames: [String]

    let entries: [String: Entry]
    /// Tensors of a folder's weights files stored in a dtype that is not
    /// decoded, by name: the file that holds them (reading one throws a clear error).
    let undecodable: [String: any TensorFile]

    /// Where one exposed tensor comes from.
    struct Entry: Sendable {
        /// The tensor under its exposed (HF) name and shape.
        let info: TensorInfo
        let source: Source
    }

    /// The stored tensor behind an exposed name.
    enum Source: Sendable {
        /// A tensor of a safetensors or PyTorch file, under the same name.
        case file(any TensorFile)
        /// A GGUF tensor; `unpermuteHeads` is the head count for the
        /// llama.cpp Q/K row permutation to undo, nil to read as stored.
        case gguf(name: String, unpermuteHeads: Int?)
    }

    init(
        url: URL, format: CheckpointFormat, configData: Data, gguf: GGUFFile?, tokenizerURL: URL?,
        entries: [String: Entry], undecodable: [String: any TensorFile] = [:], configuration: (any Sendable)? = nil
    ) {
        self.url = url
        self.format = format
        self.configData = configData
        self.configuration = configuration
        self.gguf = gguf
        self.tokenizerURL = tokenizerURL
        self.entries = entries
        self.undecodable = undecodable
        self.tensorNames = entries.keys.sorted()
    }

    /// Opens a folder holding `config.json` and `model.safetensors` (or a
    /// sharded `model.safetensors.index.json`, `pytorch_model.bin` or
    /// `pytorch_model.bin.index.json`), a nanochat run folder (its last step's
    /// `model_<step>.pt` and `meta_<step>.json`) or model file, or a `.gguf` file.
    ///
    /// A GGUF file is read under the names and config its family gives it:
    /// `checkGGUFMetadata` judges the metadata first (the architecture), then
    /// `ggufView` maps the parsed file (see `AttnModel`'s `ModelRegistry.open`).
    public static func open(
        _ url: URL,
        checkGGUFMetadata: ([String: GGUFValue]) throws -> Void = { _ in },
        ggufView: (GGUFFile) throws -> GGUFView
    ) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CheckpointError(file: url.path, "no such file or folder")
        }
        if isDirectory.boolValue {
            let hasConfig = FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path)
            if !hasConfig, let model = nanochatModel(in: url) { return try openNanochat(model) }
            return try openFolder(url)
        }
        if nanochatStep(url.lastPathComponent) != nil { return try openNanochat(url) }
        if ["bin", "pt", "pth"].contains(url.pathExtension) {
            throw CheckpointError(
                file: url.path,
                "a PyTorch file is read from its folder: config.json beside it as pytorch_model.bin, or nanochat's model_<step>.pt beside meta_<step>.json"
            )
        }
        return try openGGUF(url, checkMetadata: checkGGUFMetadata, view: ggufView)
    }

    /// The shape and dtype of tensor `name`, nil when absent.
    public func info(_ name: String) -> TensorInfo? { entries[name]?.info }

    /// Every tensor the checkpoint stores, readable or not (e.g. an `I64`
    /// buffer), sorted: what a family must either use or knowingly ignore.
    public var storedTensorNames: [String] { (tensorNames + undecodable.keys).sorted() }

    /// Whether tensor `name` can be read.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// Sum of the element counts of all readable tensors.
    public var parameterCount: Int { entries.values.reduce(0) { $0 + $1.info.elementCount } }

    /// Tensor `name` as float32, row-major in `info(name).shape`.
    public func floats(_ name: String) throws -> [Float] {
        guard let entry = entries[name] else {
            if let file = undecodable[name] { return try file.tensorFloats(name) }
            throw CheckpointError(
                file: url.path, tensor: name, "tensor '\(name)' not found in \(url.lastPathComponent)")
        }
        switch entry.source {
        case .file(let file):
            return try file.tensorFloats(name)
        case .gguf(let stored, let heads):
            guard let gguf else { throw CheckpointError(file: url.path, tensor: name, "no GGUF file") }
            let values = try gguf.floats(stored)
            guard let heads else { return values }
            return LlamaRowPermutation.unpermute(values, rows: entry.info.shape[0], heads: heads)
        }
    }

    /// Tensor `name` as a matrix left in the file, after checking that its
    /// shape is `[rows, columns]`; for GGUF, llama.cpp's Q/K row permutation
    /// is undone by reading the rows in HF order.
    public func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
        guard let entry = entries[name] else {
            if let file = undecodable[name] { return try file.tensorMatrix(name) }
            throw CheckpointError(
                file: url.path, tensor: name, "tensor '\(name)' not found in \(url.lastPathComponent)")
        }
        guard entry.info.shape == [rows, columns] else {
            throw CheckpointError(
                file: url.path, tensor: name, "expected shape \([rows, columns]), found \(entry.info.shape)")
        }
        switch entry.source {
        case .file(let file):
            return try file.tensorMatrix(name)
        case .gguf(let stored, let heads):
            guard let gguf else { throw CheckpointError(file: url.path, tensor: name, "no GGUF file") }
            return try gguf.matrix(
                stored, storedRows: heads.map { LlamaRowPermutation.storedRows(rows: rows, heads: $0) })
        }
    }

    /// Tensor `name` of `shape` (`[n, rows, columns]`, e.g. a mixture's
    /// experts stacked) as one matrix of `n·rows` rows left in the file: matrix
    /// `e` is rows `e·rows ..< (e+1)·rows`, decoded only when read.
    public func stackedMatrix(_ name: String, shape: [Int]) throws -> WeightMatrix {
        guard shape.count == 3, let entry = entries[name] else {
            if let file = undecodable[name] { return try file.tensorMatrix(name) }
            throw CheckpointError(
                file: url.path, tensor: name, "tensor '\(name)' not found in \(url.lastPathComponent)")
        }
        guard entry.info.shape == shape else {
            throw CheckpointError(file: url.path, tensor: name, "expected shape \(shape), found \(entry.info.shape)")
        }
        switch entry.source {
        case .file(let file):
            return try file.tensorMatrix(name)
        case .gguf(let stored, _):
            guard let gguf else { throw CheckpointError(file: url.path, tensor: name, "no GGUF file") }
            return try gguf.matrix(stored, storedRows: nil)
        }
    }

    /// Tensor `name` as float32, after checking that its shape is `shape`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        if let found = entries[name]?.info.shape, found != shape {
            throw CheckpointError(file: url.path, tensor: name, "expected shape \(shape), found \(found)")
        }
        return try floats(name)
    }
}
