import ArgumentParser
import AttnKernels

/// `--threads N`: how many worker threads the forward pass and the analysis use.
struct ThreadOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Worker threads (default: the number of cores; OpenBLAS itself always runs single-threaded, see README › Performance).",
            valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
    }

    /// Sets the worker count for the rest of the process.
    func apply() {
        if let threads { Parallel.threads = threads }
    }
}
