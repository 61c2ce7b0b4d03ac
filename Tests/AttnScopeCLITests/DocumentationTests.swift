import Foundation
import Testing
import TestSupport

@Suite struct DocumentationTests {
    @Test(
        "notebooks-data/metrics.md begins with the metric specification, word for word, then the project's additions (checked where the spec is beside the repository)"
    )
    func definitionsAreTheSpec() throws {
        let copy = Fixtures.repositoryRoot.appendingPathComponent("notebooks-data/metrics.md")
        let text = try String(contentsOf: copy, encoding: .utf8)
        #expect(text.hasPrefix("# Metric definitions"))
        let spec = Fixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/spec/metrics.md")
        guard FileManager.default.fileExists(atPath: spec.path) else {
            print("DocumentationTests: \(spec.path) is absent; only the copy's presence is checked")
            return
        }
        let specification = try String(contentsOf: spec, encoding: .utf8)
        #expect(text.hasPrefix(specification))
        #expect(text.dropFirst(specification.count).hasPrefix("\n# Project additions\n"))
    }

    @Test("every relative link of README.md and notebooks-data/README.md names a file in the repository")
    func linksResolve() throws {
        for page in ["README.md", "notebooks-data/README.md"] {
            let url = Fixtures.repositoryRoot.appendingPathComponent(page)
            let text = try String(contentsOf: url, encoding: .utf8)
            let targets = text.components(separatedBy: "](").dropFirst().compactMap {
                $0.split(separator: ")").first.map(String.init)
            }
            let relative = targets.filter { !$0.hasPrefix("http") && !$0.hasPrefix("#") }
            #expect(!relative.isEmpty, "\(page)")
            for target in relative {
                let path = url.deletingLastPathComponent().appendingPathComponent(
                    String(target.split(separator: "#")[0])
                ).standardized
                #expect(
                    path.path.hasPrefix(Fixtures.repositoryRoot.standardized.path),
                    "\(page): \(target) leaves the repository")
                #expect(FileManager.default.fileExists(atPath: path.path), "\(page): \(target) is missing")
            }
        }
    }
}
