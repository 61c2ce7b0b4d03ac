import AttnCheckpoint
import AttnKernels
import Foundation

/// Reads a family's tensors from a checkpoint with the shapes its config implies.
struct WeightLoader {
    let checkpoint: Checkpoint
    /// Prepended to every name (e.g. `bert.` for a `BertFor…` checkpoint).
    var prefix = ""

    /// The tensor `name`, which must have `shape`.
    func load(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
        FloatBuffer(try checkpoint.floats(prefix + name, shape: shape))
    }

    func contains(_ name: String) -> Bool { checkpoint.contains(prefix + name) }

    /// Decodes the checkpoint's config JSON as `C`, turning decoding errors
    /// into one line naming config.json and the key.
    static func decodeConfig<C: Decodable>(_ type: C.Type, from checkpoint: Checkpoint) throws -> C {
        do {
            return try JSONDecoder().decode(C.self, from: checkpoint.configData)
        } catch let error as DecodingError {
            throw ModelError(path: checkpoint.url.path, "config.json: \(error.oneLineDescription)")
        }
    }
}
