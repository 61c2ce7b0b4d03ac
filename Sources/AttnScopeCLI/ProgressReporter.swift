import AttnScope
import Foundation

/// Progress lines on stderr, redrawn in place; silent when stderr is not a
/// terminal or with `--quiet`.
struct ProgressReporter {
    let enabled: Bool

    init(quiet: Bool) {
        enabled = !quiet && isatty(FileHandle.standardError.fileDescriptor) != 0
    }

    /// A one-off status line (kept on screen).
    func note(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Redraws the dataset progress line: samples done, tokens/s, time left.
    func update(_ p: RunProgress, label: String) {
        guard enabled else { return }
        let seconds = Double(p.elapsed.components.seconds) + Double(p.elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(p.tokensDone) / seconds : 0
        let left = p.samplesDone > 0 ? seconds / Double(p.samplesDone) * Double(p.samples - p.samplesDone) : 0
        let line = String(
            format: "\r%@: %d/%d samples, %.0f tokens/s, %@ left   ", label, p.samplesDone, p.samples, rate,
            Self.clock(left))
        FileHandle.standardError.write(Data(line.utf8))
        if p.samplesDone == p.samples {
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "\r%@: %d samples in %@, %.0f tokens/s            \n", label, p.samples,
                        Self.clock(seconds), rate
                    ).utf8))
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
