import Foundation

/// The instruction-set extensions the compute stages were compiled to use
/// (Package.swift's `targetCPU`), checked before anything runs: on a CPU
/// without them the first such instruction would kill the process with
/// SIGILL and no word of why.
enum CPUFeatures {
    /// What the default x86-64 build (`-target-cpu haswell`) needs; empty for any other build.
    static var required: [String] {
        #if ATTNSCOPE_REQUIRES_AVX2
            return ["avx2", "fma"]
        #else
            return []
        #endif
    }

    /// The features of `required` that `cpuinfo` (the text of `/proc/cpuinfo`)
    /// does not list on its first `flags` line; empty when it has no such line.
    static func missing(_ required: [String], cpuinfo: String) -> [String] {
        guard let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        return required.filter { !flags.contains($0) }
    }

    /// One line naming what this CPU lacks, or nil when it has it all (or cannot tell: not Linux).
    static func problem() -> String? {
        let required = required
        guard !required.isEmpty, let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return nil
        }
        let missing = missing(required, cpuinfo: cpuinfo)
        guard !missing.isEmpty else { return nil }
        return "this attnscope was compiled for x86-64 CPUs with AVX2 and FMA (Haswell, 2013, or later); this CPU "
            + "lacks \(missing.joined(separator: " and ")): rebuild it with ATTNSCOPE_TARGET_CPU=x86-64 swift build -c release"
    }
}
