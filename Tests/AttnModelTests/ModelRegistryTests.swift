import Foundation
import Testing
import TestSupport
@testable import AttnModel

/// The registry is the one list of families: loading, errors, `--help` and
/// the README all come from it.
struct ModelRegistryTests {
    @Test func everyModelTypeAndArchitectureBelongsToOneFamily() {
        let types = ModelRegistry.families.flatMap(\.modelTypes)
        #expect(Set(types).count == types.count)
        let architectures = ModelRegistry.families.flatMap(\.ggufArchitectures)
        #expect(Set(architectures).count == architectures.count)
        #expect(Set(ModelRegistry.families.map(\.name)).count == ModelRegistry.families.count)
    }

    @Test("The README's family list is the registry's, line for line")
    func readmeListsTheRegistry() throws {
        let readme = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- families:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- families:end -->"))
        let listed = readme[begin.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
        #expect(listed == ModelRegistry.familyLines.map { "- " + $0 })
    }

    @Test func unknownModelTypeListsTheRegistry() throws {
        let folder = try TempFolder()
        _ = try folder.write("config.json", text: #"{"model_type": "gemma4"}"#)
        _ = try folder.write("model.safetensors", safetensorsBytes(header: "{}", data: []))
        let error = try #require(throws: ModelError.self) { try ModelRegistry.load(ModelRegistry.open(folder.url)) }
        #expect(
            error.description.contains(
                "model_type 'gemma4' is not supported (supported: \(ModelRegistry.families.flatMap(\.modelTypes).joined(separator: ", ")))"
            ))
    }
}
