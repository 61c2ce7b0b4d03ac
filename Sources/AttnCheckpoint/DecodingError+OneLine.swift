/// One-line descriptions of JSON decoding failures that name the key path,
/// for errors about config.json, safetensors headers and indexes, metrics.json
/// and prompt files: the one describer every module uses.
extension DecodingError {
    /// ``oneLineDescription`` of `error` when it is a `DecodingError`, else its plain description.
    public static func oneLineDescription(of error: any Error) -> String {
        (error as? DecodingError)?.oneLineDescription ?? "\(error)"
    }

    /// E.g. `missing key 'rope_parameters.rope_theta'`, `key 'layers.3' is not a Double`.
    public var oneLineDescription: String {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing key '\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "key '\(path(context))' is not a \(type)"
        case .valueNotFound(let type, let context):
            return "key '\(path(context))' is null, expected \(type)"
        case .dataCorrupted(let context):
            let at = path(context)
            return at.isEmpty
                ? "invalid JSON: \(context.debugDescription)" : "invalid JSON at '\(at)': \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
