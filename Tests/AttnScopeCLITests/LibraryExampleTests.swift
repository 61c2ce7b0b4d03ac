import AttnScope
import Foundation
import Testing
import TestSupport

/// README's "Use attnscope from Swift": the example compiles against the library product's
/// module alone (this file imports no other attnscope module) and runs.
@Suite struct LibraryExampleTests {
    @Test("README's Swift example runs on the tiny Llama fixture: two prompts, a first-token importance per block")
    func readmeExample() throws {
        // README example begins
        let checkpoint = Fixtures.url("models/llama-tiny")
        let model = try LoadedModel(url: checkpoint)
        let prompts = [Prompt(tokenIDs: [1, 17, 42, 99, 7]), Prompt(tokenIDs: [1, 300, 301, 300, 301])]
        for (n, sample) in try model.analyze(prompts).enumerated() {
            print("prompt \(n): first-token importance by block", sample.layers.map(\.firstTokenImportance))
        }
        // README example ends
        let metrics = try model.analyze(prompts)
        #expect(metrics.count == 2)
        #expect(metrics.allSatisfy { $0.layers.count == model.model.description.layers && $0.tokenIDs.count == 5 })
        #expect(metrics.allSatisfy { $0.layers.allSatisfy { (0...1).contains($0.firstTokenImportance) } })
    }

    @Test("the README block is the test's body, line for line, but for the checkpoint")
    func readmeBlockIsTheTestBody() throws {
        func code(_ lines: some Sequence<Substring>) -> [String] {
            lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty && !$0.hasPrefix("let checkpoint") && !$0.hasPrefix("import ")
            }
        }
        let readme = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Use attnscope from Swift\n").dropFirst().first)
        let block = try #require(
            section.components(separatedBy: "```swift\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(block.contains("import AttnScope\n"))
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let body = try #require(
            source.components(separatedBy: "// README example begins\n").dropFirst().first?
                .components(separatedBy: "// README example ends").first)
        #expect(code(block.split(separator: "\n")) == code(body.split(separator: "\n")))
        #expect(!code(body.split(separator: "\n")).isEmpty)
    }
}
