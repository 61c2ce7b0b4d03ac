import Foundation
import Testing
import TestSupport

/// `notebooks-data/example.ipynb` executed headless (`jupyter execute`) on a fixture run, where
/// jupyter, pandas and matplotlib are installed (not in CI: `pip install nbclient ipykernel pandas matplotlib`).
@Suite struct NotebookTests {
    /// Runs `command` through `/usr/bin/env` in `directory` with `environment` added; returns the status and stderr.
    static func shell(
        _ command: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        guard (try? process.run()) != nil else { return (127, "cannot start \(command)") }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    static let jupyterReady =
        shell(["jupyter", "execute", "--help"]).status == 0
        && shell(["python3", "-c", "import pandas, matplotlib, nbclient"]).status == 0

    @Test(
        "the example notebook runs headless on a run folder and draws its map",
        .enabled(
            if: jupyterReady,
            "jupyter execute, pandas or matplotlib is missing (pip install nbclient ipykernel pandas matplotlib)")
    )
    func exampleNotebookRuns() throws {
        let folder = try CommandLineRunner.temporaryFolder()
        let run = try ReportTests.run(in: folder)
        let output = folder.appendingPathComponent("executed.ipynb")
        let result = Self.shell(
            ["jupyter", "execute", "--output=\(output.path)", "example.ipynb"],
            in: Fixtures.repositoryRoot.appendingPathComponent("notebooks-data"),
            environment: ["ATTNSCOPE_RUN": run.path])
        #expect(result.status == 0, "\(result.stderr)")
        let executed = try String(contentsOf: output, encoding: .utf8)
        #expect(executed.contains("\"image/png\""), "the map was drawn")
        #expect(executed.contains("sink heads (mean first-token importance > 0.3)"))
        #expect(!executed.contains("\"output_type\": \"error\""))
    }
}
