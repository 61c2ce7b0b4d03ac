import AttnCheckpoint
import Foundation

/// A 64-bit FNV-1a fingerprint, over 8-byte words: enough to tell two
/// checkpoints or prompt sets apart, fast enough for a 100 MB file.
struct Digest {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Mixes `bytes` in, eight at a time, then the tail byte by byte.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        let words = bytes.count / 8
        for w in 0..<words {
            state = (state ^ bytes.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
        }
        for byte in bytes[(words * 8)...] { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    mutating func update(_ data: Data) { data.withUnsafeBytes { update($0) } }

    mutating func update(_ text: String) { update(Data(text.utf8)) }

    /// The fingerprint as 16 hex digits.
    var hex: String { String(format: "%016llx", state) }

    /// The fingerprint of a checkpoint's content: every byte of a `.gguf` file (not its name, so the
    /// same file reached through a link or a copy under another name is the same checkpoint); of a
    /// checkpoint folder's `.json` files and its weights, the `.safetensors` files or, without any, the
    /// `.bin` files (their names inside the folder and their bytes, in name order; not the folder's own
    /// name); or of a nanochat `model_<step>.pt` and its `meta_<step>.json` (a run folder opens as its
    /// last step's model file). Reading every byte costs about 0.1 s per 250 MB once the file is in the
    /// page cache.
    static func checkpoint(at url: URL) throws -> String {
        var digest = Digest()
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let files: [URL]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            // The weights the folder is read from: safetensors when there are any (they win, as in
            // Transformers), else PyTorch `.bin` files.
            let weights = names.contains { $0.hasSuffix(".safetensors") } ? "safetensors" : "bin"
            files = names.sorted().map { url.appendingPathComponent($0) }.filter {
                ["json", weights].contains($0.pathExtension) && InputFile.isRegularFile($0.path)
            }
        } else if let step = Checkpoint.nanochatStep(url.lastPathComponent) {
            // The model, its meta and, when there is one, the tokenizer that turns the prompts into ids.
            let folder = url.deletingLastPathComponent(), tokenizer = folder.appendingPathComponent("tokenizer.json")
            files =
                [url, folder.appendingPathComponent("meta_\(step).json")]
                + (InputFile.isRegularFile(tokenizer.path) ? [tokenizer] : [])
        } else {
            files = [url]
        }
        for file in files {
            do {
                if isDirectory.boolValue { digest.update(file.lastPathComponent) }
                digest.update(try Data(contentsOf: file, options: .alwaysMapped))
            } catch {
                throw ScopeError.badInput("\(file.path): cannot read (\(error.localizedDescription))")
            }
        }
        return digest.hex
    }

    /// The fingerprint of a prompt list: every prompt's text and token ids, in order.
    static func prompts(_ prompts: [Prompt]) -> String {
        var digest = Digest()
        for prompt in prompts {
            digest.update("text:\(prompt.text ?? "\u{0}")\u{1}ids:\(prompt.tokenIDs.map { "\($0)" } ?? "none")\u{2}")
        }
        return digest.hex
    }
}
