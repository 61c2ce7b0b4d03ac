/// One-line descriptions of JSON decoding failures that name the key path,
/// for errors about config.json, metrics.json and prompt files.
extension DecodingError {
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
            return "invalid JSON at '\(path(context))': \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
