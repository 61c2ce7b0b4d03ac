import AttnCheckpoint
import AttnKernels
import Foundation

/// Reads a family's tensors from a checkpoint with the shapes its config
/// implies, and remembers which it read, so that a checkpoint holding
/// tensors the family does not use is refused instead of run as something else.
final class WeightLoader {
    let checkpoint: Checkpoint
    /// Prepended to every name (e.g. `bert.` for a `BertFor…` checkpoint).
    let prefix: String
    /// Full names of the tensors read so far.
    private var consumed: Set<String> = []
    /// Matrices a family derived from stored ones (Phi-3's split projections),
    /// by full name: served as if stored, never counted as stored.
    private var derived: [String: WeightMatrix] = [:]

    init(checkpoint: Checkpoint, prefix: String = "") {
        self.checkpoint = checkpoint
        self.prefix = prefix
    }

    /// The tensor `name`, which must have `shape`.
    func load(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
        FloatBuffer(try floats(name, shape))
    }

    /// The tensor `name` as an array, which must have `shape`.
    func floats(_ name: String, _ shape: [Int]) throws -> [Float] {
        if derived[prefix + name] != nil {
            return try matrix(name, shape).floats()
        }
        consumed.insert(prefix + name)
        return try checkpoint.floats(prefix + name, shape: shape)
    }

    /// The matrix `name`, which must have `shape` `[rows, columns]`, left
    /// in the checkpoint file: for `Linear` weights and embedding tables.
    func matrix(_ name: String, _ shape: [Int]) throws -> WeightMatrix {
        guard shape.count == 2 else {
            throw ModelError(
                path: checkpoint.url.path, "tensor '\(prefix + name)': a matrix needs a 2-D shape, not \(shape)")
        }
        if let matrix = derived[prefix + name] {
            guard [matrix.rows, matrix.columns] == shape else {
                throw ModelError(
                    path: checkpoint.url.path,
                    "tensor '\(prefix + name)' split to shape \([matrix.rows, matrix.columns]), expected \(shape)")
            }
            return matrix
        }
        consumed.insert(prefix + name)
        return try checkpoint.matrix(prefix + name, rows: shape[0], columns: shape[1])
    }

    /// The stacked matrices `name` of `shape` `[n, rows, columns]` as one
    /// matrix of `n·rows` rows left in the file (a mixture's experts).
    func stackedMatrix(_ name: String, _ shape: [Int]) throws -> WeightMatrix {
        consumed.insert(prefix + name)
        return try checkpoint.stackedMatrix(prefix + name, shape: shape)
    }

    func contains(_ name: String) -> Bool { derived[prefix + name] != nil || checkpoint.contains(prefix + name) }

    /// Makes `matrix` (e.g. a row range of a stored matrix) readable as
    /// tensor `name`, for a family that rewrites stored tensors into the
    /// names its forward pass reads.
    func provide(_ name: String, _ matrix: WeightMatrix) {
        derived[prefix + name] = matrix
    }

    /// Throws naming the tensors of the checkpoint that were not read and
    /// that `ignored` does not excuse (`ignored` gets names without the prefix).
    func requireAllConsumed(family: String, ignoring ignored: (String) -> Bool) throws {
        let unused = checkpoint.storedTensorNames.filter { name in
            guard !consumed.contains(name) else { return false }
            let local = name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
            return !ignored(local)
        }
        guard unused.isEmpty else {
            let shown = unused.prefix(4).map { "'\($0)'" }.joined(separator: ", ")
            throw ModelError(
                path: checkpoint.url.path,
                "\(unused.count) tensor\(unused.count == 1 ? "" : "s") the \(family) family does not use (\(shown)\(unused.count > 4 ? ", …" : "")): running without \(unused.count == 1 ? "it" : "them") would compute a different model, so attnscope refuses"
            )
        }
    }

    /// Decodes the checkpoint's config JSON as `C`, turning decoding errors
    /// into one line naming config.json and the key.
    static func decodeConfig<C: Decodable>(_ type: C.Type, from checkpoint: Checkpoint) throws -> C {
        do {
            if let configuration = checkpoint.configuration as? C { return configuration }
            return try JSONDecoder().decode(C.self, from: checkpoint.configData)
        } catch let error as DecodingError {
            throw ModelError(path: checkpoint.url.path, "config.json: \(error.oneLineDescription)")
        }
    }
}
