import AttnFuzzTargets
import Foundation

#if FUZZING
    /// libFuzzer's entry for a program that has its own `main`.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The target libFuzzer drives, chosen once from `ATTNSCOPE_FUZZ_TARGET`.
    nonisolated(unsafe) var selectedTarget = FuzzTarget.gguf
#endif

/// `AttnFuzz`: built by `Tests/Fuzz/run-fuzzers.sh` with `-sanitize=fuzzer,address -DFUZZING` it is a
/// libFuzzer binary for the target named by `ATTNSCOPE_FUZZ_TARGET`; built normally it replays files:
/// `AttnFuzz TARGET FILE…` runs each file through the target and reports how many ran.
@main
struct FuzzDriver {
    static func main() {
        #if FUZZING
            let name = ProcessInfo.processInfo.environment["ATTNSCOPE_FUZZ_TARGET"] ?? ""
            guard let target = FuzzTarget(rawValue: name) else {
                FileHandle.standardError.write(
                    Data(
                        "set ATTNSCOPE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
                            .utf8))
                exit(64)
            }
            selectedTarget = target
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(
                LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
                    selectedTarget.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
                    return 0
                })
        #else
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                print(
                    "usage: AttnFuzz TARGET FILE…  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
                exit(64)
            }
            for path in arguments.dropFirst() {
                target.run((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
            }
            print("\(name): \(arguments.count - 1) inputs ran")
        #endif
    }
}
