import ArgumentParser
import AttnModel
import AttnScope
import Foundation

// The library's option types, parsed once from the command line: a bad value
// is a usage error (exit 64) naming the flag.

extension VariantRequest: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension BOSPolicy: ExpressibleByArgument {}

extension LayerSelection: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// Where `--json` prints: only `-`, standard output.
enum StandardOutput: String, ExpressibleByArgument, CaseIterable {
    case standardOutput = "-"
}

/// A folder attnscope writes into (`--out`, `merge OUT`): any non-empty path. An empty one is
/// refused rather than read as the current folder.
struct FolderPath: ExpressibleByArgument {
    let url: URL

    init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        url = URL(fileURLWithPath: argument, isDirectory: true)
    }

    var defaultValueDescription: String { url.relativePath }
}
