import Foundation

/// A short name for a checkpoint, for legends and output folders: its file or folder name without `.gguf`.
package func checkpointLabel(for checkpoint: URL) -> String {
    let name = checkpoint.standardizedFileURL.lastPathComponent
    return name.hasSuffix(".gguf") ? String(name.dropLast(5)) : name
}
