import AttnFuzzTargets
import Foundation
import Testing
import TestSupport

/// The committed fuzz corpus replayed through the same targets on every test run: the seeds
/// (`Tests/Fuzz/seeds/<target>/`, valid and near-valid inputs that reach deep into each reader) and
/// every input that ever crashed, hung or ran away (`Tests/Fuzz/crashes/<target>/`), so a fixed crash
/// stays fixed. A regression traps the test process, which fails the run loudly.
@Suite("fuzz corpus replay")
struct FuzzReplayTests {
    static let fuzz = Fixtures.root.deletingLastPathComponent().appendingPathComponent("Fuzz", isDirectory: true)

    /// The corpus files of `target` under `kind` (`seeds` or `crashes`), sorted; none when the folder is absent.
    static func files(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let folder = fuzz.appendingPathComponent("\(kind)/\(target.rawValue)", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("each target survives its seeds and every committed crash input", arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) throws {
        let files = Self.files("seeds", target) + Self.files("crashes", target)
        #expect(!Self.files("seeds", target).isEmpty, "no seeds for \(target.rawValue)")
        for file in files { target.run(try Data(contentsOf: file)) }
    }
}
