import AttnRender
import Foundation

/// Debian's `chromium`, run headless on a page: its DOM after the scripts ran, a screenshot, and
/// what it logged to the console.
struct HeadlessChromium {
    /// The browser, or nil when none is installed (`.ci/setup` installs Debian's `chromium`).
    static let executable: URL? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .map { URL(fileURLWithPath: $0) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// What one page load gave.
    struct Load {
        /// `--dump-dom` output (empty for a screenshot).
        var dom: String
        /// Console lines (`:CONSOLE` in Chromium's log): messages, script errors, refused requests.
        var console: [String]
    }

    /// Loads `url` in a fresh profile and returns the DOM; with `screenshot`, writes a 1000 × 1000 PNG there instead.
    static func load(_ url: URL, screenshot: URL? = nil) throws -> Load {
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attnscope-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0", "--window-size=1000,1000",
            screenshot.map { "--screenshot=\($0.path)" } ?? "--dump-dom", url.absoluteString,
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let console = String(decoding: stderr, as: UTF8.self).split(separator: "\n").filter { $0.contains(":CONSOLE") }
            .map(String.init)
        return Load(dom: String(decoding: stdout, as: UTF8.self), console: console)
    }
}
