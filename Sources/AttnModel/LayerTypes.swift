/// HF's `layer_types` list (`full_attention` / `sliding_attention`, one per
/// block), read the same way by every family that has one.
enum LayerTypes {
    /// Each block's sliding window (nil for full attention) from `types`.
    /// A wrong count, an unknown type, or a sliding block without a `window`
    /// (`why` says why there is none) is refused naming the key.
    static func windows(
        _ types: [String], layers: Int, window: Int?, noWindow why: String, path: String
    ) throws -> [Int?] {
        guard types.count == layers else {
            throw ModelError(path: path, "config.json: layer_types has \(types.count) entries for \(layers) blocks")
        }
        return try types.map { type in
            switch type {
            case "full_attention": return nil
            case "sliding_attention":
                guard let window else {
                    throw ModelError(path: path, "config.json: layer_types asks for sliding_attention but \(why)")
                }
                return window
            default:
                throw ModelError(
                    path: path,
                    "config.json: layer_types entry '\(type)' is not supported (only full_attention and sliding_attention)"
                )
            }
        }
    }
}
