import ArgumentParser
import AttnModel
import AttnScope

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
