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

    /// The tensor `name` when the checkpoint has it.
    func loadIfPresent(_ name: String, _ shape: [Int]) throws -> FloatBuffer? {
        checkpoint.contains(prefix + name) ? try load(name, shape) : nil
    }

    func contains(_ name: String) -> Bool { checkpoint.contains(prefix + name) }

    /// Decodes the checkpoint's config JSON as `C`, turning decoding errors
    /// into one line naming config.json and the key.
    static func decodeConfig<C: Decodable>(_ type: C.Type, from checkpoint: Checkpoint) throws -> C {
        do {
            return try JSONDecoder().decode(C.self, from: checkpoint.configData)
        } catch let error as DecodingError {
            throw ModelError(path: checkpoint.url.path, "config.json: \(describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing key '\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "key '\(path(context))' is not a \(type)"
        case .valueNotFound(let type, let context):
            return "key '\(path(context))' is null, expected \(type)"
        case .dataCorrupted(let context):
            return "invalid JSON at '\(path(context))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
