import AttnCheckpoint
import Foundation

/// The families attnscope runs, the single list that loading, errors,
/// `inspect`, `--help` and the README read.
public enum ModelRegistry {
    /// Every family, in the order they are listed.
    static let families = [
        RegisteredFamily(Llama.self), RegisteredFamily(Gemma3.self), RegisteredFamily(GPT2.self),
        RegisteredFamily(BERT.self),
        RegisteredFamily(Nanochat.self), RegisteredFamily(GPTNeoX.self), RegisteredFamily(OLMo2.self),
        RegisteredFamily(MPNet.self), RegisteredFamily(GPTOSS.self),
    ]

    /// Opens an HF folder or a GGUF file, a GGUF file under its family's HF
    /// names and config. An architecture no family reads is refused by name
    /// before any tensor is looked at.
    public static func open(_ url: URL) throws -> Checkpoint {
        try Checkpoint.open(
            url,
            checkGGUFMetadata: { metadata in
                _ = try family(architecture: metadata["general.architecture"], path: url.path)
            },
            ggufView: { gguf in
                try family(architecture: gguf.metadata["general.architecture"], path: url.path).ggufView(gguf)
            })
    }

    /// Loads the model `checkpoint` holds as `variant`, the family chosen by
    /// the config's `model_type`.
    public static func load(_ checkpoint: Checkpoint, variant: VariantRequest = .auto) throws -> any TransformerModel {
        let modelType = try WeightLoader.decodeConfig(ModelTypeProbe.self, from: checkpoint).modelType
        guard let family = families.first(where: { $0.modelTypes.contains(modelType) }) else {
            throw ModelError(
                path: checkpoint.url.path,
                "config.json: model_type '\(modelType)' is not supported (supported: \(families.flatMap(\.modelTypes).joined(separator: ", ")))"
            )
        }
        return try family.load(checkpoint, variant)
    }

    /// One line per family: its name, model types, GGUF architectures and summary.
    public static var familyLines: [String] {
        families.map { family in
            let gguf =
                family.ggufArchitectures.isEmpty
                ? "no GGUF" : "GGUF \(family.ggufArchitectures.joined(separator: ", "))"
            return "\(family.name): model_type \(family.modelTypes.joined(separator: ", ")); \(gguf); \(family.summary)"
        }
    }

    /// The family reading GGUF architecture `value`, or an error naming it.
    private static func family(architecture value: GGUFValue?, path: String) throws -> RegisteredFamily {
        let architecture = value?.string
        guard let architecture, let family = families.first(where: { $0.ggufArchitectures.contains(architecture) })
        else {
            let supported = families.flatMap(\.ggufArchitectures).joined(separator: ", ")
            throw CheckpointError(
                file: path, key: "general.architecture",
                "unsupported architecture '\(architecture ?? "missing")' (supported: \(supported))")
        }
        return family
    }

    private struct ModelTypeProbe: Decodable {
        let modelType: String
        enum CodingKeys: String, CodingKey { case modelType = "model_type" }
    }
}
