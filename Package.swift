// swift-tools-version: 6.0
import PackageDescription

/// The compute stages' instruction set. On x86-64 they are compiled for
/// Haswell (AVX2, FMA, 2013 on): the SIMD8 kernels (softmax, norms, SwiGLU,
/// decoding, the statistics) then run in 256-bit registers instead of SSE's
/// 128. Floating-point operations are not fused or reordered, so the results
/// are the same bits as a baseline build's (README, Performance).
/// `ATTNSCOPE_TARGET_CPU=x86-64 swift build …` builds for any x86-64 CPU;
/// another LLVM CPU name (`znver4`, `native`) builds for that one.
let targetCPU: String? = {
    #if arch(x86_64)
        return Context.environment["ATTNSCOPE_TARGET_CPU"] ?? "haswell"
    #else
        return Context.environment["ATTNSCOPE_TARGET_CPU"]
    #endif
}()
let computeSettings: [SwiftSetting] = targetCPU.map { [.unsafeFlags(["-target-cpu", $0])] } ?? []
/// The CLI (compiled for the baseline) checks the CPU for what the default build needs before it runs anything.
let cliSettings: [SwiftSetting] = targetCPU == "haswell" ? [.define("ATTNSCOPE_REQUIRES_AVX2")] : []

let package = Package(
    name: "attnscope",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "attnscope", targets: ["AttnScopeCLI"]),
        // The pipeline as a Swift library: README, "Use attnscope from Swift".
        .library(name: "AttnScope", targets: ["AttnScope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C libraries, each imported by exactly one Swift file.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // The pipeline, dependencies pointing one way.
        // Dense float kernels shared by the model and the analysis (the only CBLAS import).
        .target(name: "AttnKernels", dependencies: ["CBLAS"], swiftSettings: computeSettings),
        .target(name: "AttnCheckpoint", swiftSettings: computeSettings),
        .target(name: "AttnTokenizer", dependencies: ["AttnCheckpoint"]),
        .target(name: "AttnModel", dependencies: ["AttnCheckpoint", "AttnKernels"], swiftSettings: computeSettings),
        .target(name: "AttnAnalysis", swiftSettings: computeSettings),
        .target(name: "AttnRender", dependencies: ["AttnCheckpoint", "CPNG"]),
        // report.html: the page, its script and style, built from figures and maps.
        .target(name: "AttnReport", dependencies: ["AttnRender"]),
        .target(
            name: "AttnScope",
            dependencies: ["AttnCheckpoint", "AttnTokenizer", "AttnModel", "AttnAnalysis", "AttnRender", "AttnReport"]),
        .executableTarget(
            name: "AttnScopeCLI",
            dependencies: [
                "AttnScope", "AttnCheckpoint", "AttnTokenizer", "AttnModel", "AttnAnalysis", "AttnRender",
                "AttnKernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: cliSettings
        ),

        // `swift run -c release AttnBenchmarks`: forward-pass and analysis timings on SmolLM2.
        .executableTarget(
            name: "AttnBenchmarks", dependencies: ["AttnScope", "AttnAnalysis", "AttnModel", "AttnKernels"]),
        // `swift run -c release AttnDecodeBenchmark FILE.gguf`: decode throughput of each stored weight type.
        .executableTarget(name: "AttnDecodeBenchmark", dependencies: ["AttnCheckpoint"]),

        // Fuzzing (Tests/Fuzz/README.md): the targets, shared by the libFuzzer driver and the replay test.
        .target(
            name: "AttnFuzzTargets",
            dependencies: ["AttnScope", "AttnCheckpoint", "AttnTokenizer", "AttnModel", "AttnAnalysis", "TestSupport"],
            path: "Tests/FuzzTargets"),
        .executableTarget(name: "AttnFuzz", dependencies: ["AttnFuzzTargets"], path: "Tests/Fuzz/Driver"),

        // Every target declares each module it imports (none leans on another target's dependencies).
        // Tests. Fixtures live in Tests/Fixtures and are found through TestSupport.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AttnCheckpointTests", dependencies: ["AttnCheckpoint", "TestSupport"]),
        .testTarget(name: "AttnTokenizerTests", dependencies: ["AttnTokenizer", "AttnCheckpoint", "TestSupport"]),
        .testTarget(
            name: "AttnModelTests",
            dependencies: ["AttnModel", "AttnCheckpoint", "AttnAnalysis", "AttnKernels", "TestSupport"]),
        .testTarget(name: "AttnAnalysisTests", dependencies: ["AttnAnalysis", "AttnCheckpoint", "TestSupport"]),
        .testTarget(name: "AttnRenderTests", dependencies: ["AttnRender", "AttnCheckpoint", "TestSupport"]),
        .testTarget(
            name: "AttnScopeCLITests",
            dependencies: [
                "AttnScope", "AttnCheckpoint", "AttnModel", "AttnAnalysis", "AttnRender", "AttnReport", "AttnScopeCLI",
                "TestSupport",
            ]),
        .testTarget(name: "FuzzReplayTests", dependencies: ["AttnFuzzTargets", "TestSupport"]),
    ]
)
