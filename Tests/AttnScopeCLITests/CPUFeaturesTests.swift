import Testing

@testable import AttnScopeCLI

/// The CPU check the CLI runs before anything else (Package.swift's `targetCPU`).
struct CPUFeaturesTests {
    @Test func namesWhatTheFlagsLineLacks() {
        let cpuinfo = "processor\t: 0\nflags\t\t: fpu sse sse2 avx fma\nbugs\t\t: none\n"
        #expect(CPUFeatures.missing(["avx2", "fma"], cpuinfo: cpuinfo) == ["avx2"])
        #expect(CPUFeatures.missing(["avx", "fma"], cpuinfo: cpuinfo).isEmpty)
        // No flags line (not Linux's format): nothing can be told, so nothing is refused.
        #expect(CPUFeatures.missing(["avx2"], cpuinfo: "processor : 0\n").isEmpty)
    }

    @Test func thisMachineRunsThisBuild() {
        #expect(CPUFeatures.problem() == nil)
    }
}
