import Foundation

/// One PyTorch checkpoint (`pytorch_model.bin`, `model.pt`): the zip archive
/// `torch.save` has written since PyTorch 1.6, mapped read-only, holding a
/// state dict (a dict of tensor names to tensors).
///
/// The archive's `<name>/data.pkl` is read by ``RestrictedUnpickler`` (no
/// code runs); each tensor is a contiguous run of a stored, uncompressed
/// `<name>/data/<key>` entry, little-endian, left in the mapping. A
/// `torch.compile` prefix `_orig_mod.` is dropped from the names. The
/// legacy formats of PyTorch before 1.6 (a raw pickle, a tar archive) are refused.
public struct PyTorchFile: Sendable {
    /// The file.
    public let url: URL
    /// Tensors whose dtype this module decodes (F32, F16, BF16, F64), by name.
    public let tensors: [String: TensorInfo]
    /// Tensors stored in other dtypes (e.g. an `int64` buffer), by name: the torch dtype name.
    public let otherTensors: [String: String]

    let file: MappedFile
    /// Absolute file offset of each decodable tensor's first byte.
    let offsets: [String: Int]

    /// The prefix `torch.compile` puts before every name of a compiled module's state dict.
    static let compiledPrefix = "_orig_mod."

    /// The name a stored tensor name is exposed under: without a leading `_orig_mod.`.
    static func exposedName(_ stored: String) -> String {
        stored.hasPrefix(compiledPrefix) ? String(stored.dropFirst(compiledPrefix.count)) : stored
    }

    /// Maps the archive at `url` and reads its state dict; every problem is a
    /// one-line ``CheckpointError`` naming the entry, global or tensor and the offset.
    public init(url: URL) throws {
        let file = try MappedFile(path: url.path)
        let path = url.path
        try Self.refuseLegacy(path: path, bytes: file.bytes)
        let zip = try ZipDirectory(path: path, bytes: file.bytes)
        let (prefix, pickle) = try Self.pickleEntry(path: path, zip: zip)
        if let order = zip.entries["\(prefix)/byteorder"] {
            let text = String(
                decoding: UnsafeRawBufferPointer(rebasing: file.bytes[order.start..<(order.start + order.count)]),
                as: UTF8.self)
            guard text == "little" else {
                throw CheckpointError(
                    file: path, key: "\(prefix)/byteorder",
                    "byte order '\(text.prefix(16))' is not read (only little-endian archives are)")
            }
        }
        var unpickler = RestrictedUnpickler(
            path: path, entryName: "\(prefix)/data.pkl",
            bytes: UnsafeRawBufferPointer(rebasing: file.bytes[pickle.start..<(pickle.start + pickle.count)]),
            fileOffset: pickle.start, storageBytes: { zip.entries["\(prefix)/data/\($0)"]?.count })
        let top = try unpickler.run()
        var tensors: [String: TensorInfo] = [:]
        var others: [String: String] = [:]
        var offsets: [String: Int] = [:]
        for (stored, tensor) in try Self.stateDict(top, objects: unpickler.objects, path: path) {
            let name = Self.exposedName(stored)
            guard tensors[name] == nil, others[name] == nil else {
                throw CheckpointError(
                    file: path, tensor: name,
                    "tensor '\(name)' appears twice in the state dict (names compared without the \(Self.compiledPrefix) prefix)"
                )
            }
            guard let dtype = tensor.storage.type.dtype else {
                others[name] = tensor.storage.type.torchName
                continue
            }
            guard let entry = zip.entries["\(prefix)/data/\(tensor.storage.key)"] else {
                throw CheckpointError(file: path, tensor: name, "storage '\(tensor.storage.key)' is not in the archive")
            }
            tensors[name] = TensorInfo(name: name, shape: tensor.shape, dtype: dtype)
            offsets[name] = entry.start + tensor.offset * tensor.storage.type.elementBytes
        }
        self.url = url
        self.file = file
        self.tensors = tensors
        self.otherTensors = others
        self.offsets = offsets
    }

    /// The tensor `name` decoded to float32, row-major in `tensors[name].shape`.
    public func floats(_ name: String) throws -> [Float] { try tensorFloats(name) }

    /// The tensor `name` as a matrix left in the file: its fastest dimension
    /// is the columns, the others are the rows.
    public func matrix(_ name: String) throws -> WeightMatrix { try tensorMatrix(name) }

    /// Refuses the formats `torch.save` wrote before PyTorch 1.6, and anything that is not a zip archive.
    private static func refuseLegacy(path: String, bytes: UnsafeRawBufferPointer) throws {
        let advice = "re-save it with torch.save from PyTorch 1.6 or later, or convert it to safetensors"
        if bytes.first == 0x80 {
            throw CheckpointError(
                file: path, offset: 0, "legacy PyTorch format (a raw pickle, before PyTorch 1.6) is not read: \(advice)"
            )
        }
        if bytes.count >= 262, bytes[257..<262].elementsEqual("ustar".utf8) {
            throw CheckpointError(
                file: path, offset: 257, "legacy PyTorch tar format (before PyTorch 1.6) is not read: \(advice)")
        }
        guard bytes.count >= 4, bytes.loadUnaligned(as: UInt32.self) == UInt32(0x0403_4b50).littleEndian else {
            throw CheckpointError(file: path, offset: 0, "not a PyTorch checkpoint (a torch.save zip archive)")
        }
    }

    /// The archive's folder name and its `data.pkl` entry: exactly one `<name>/data.pkl`.
    private static func pickleEntry(path: String, zip: ZipDirectory) throws -> (String, ZipDirectory.Entry) {
        let candidates = zip.entries.filter { name, _ in
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1] == "data.pkl"
        }
        guard candidates.count == 1, let (name, entry) = candidates.first else {
            throw CheckpointError(
                file: path,
                "zip archive holds \(candidates.count) '<name>/data.pkl' entries, not one: not a torch.save archive")
        }
        return (String(name.dropLast("/data.pkl".count)), entry)
    }

    /// The (name, tensor) pairs of the pickled top-level dict, refusing anything else.
    private static func stateDict(
        _ top: PickleValue, objects: PickleObjects, path: String
    ) throws -> [(String, TorchTensor)] {
        guard case .dict(let index) = top else {
            throw CheckpointError(file: path, "the pickle holds a \(top.kind), not a state dict (a dict of tensors)")
        }
        return try objects.dicts[index].map { key, value in
            guard case .string(let name) = key else {
                throw CheckpointError(file: path, "state dict key is a \(key.kind), not a tensor name")
            }
            guard case .tensor(let tensor) = value else {
                throw CheckpointError(
                    file: path, tensor: name, "state dict entry '\(name)' is a \(value.kind), not a tensor")
            }
            return (name, tensor)
        }
    }
}
