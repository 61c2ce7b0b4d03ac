import Foundation
@testable import AttnCheckpoint

extension Checkpoint {
    /// Opens an HF folder the way `ModelRegistry.open` does; the GGUF views
    /// belong to the families and are tested with them (AttnModelTests).
    static func openFolderOrFail(_ url: URL) throws -> Checkpoint {
        try open(
            url,
            ggufView: { gguf in throw CheckpointError(file: gguf.url.path, "GGUF views are tested in AttnModelTests") })
    }
}
