import AttnCheckpoint
import AttnModel
import Testing
import TestSupport

/// The checkpoints `notebooks-data/train/train_variants.py` trained (notebooks-data/trained/) against the
/// trainer's own eager forward on two held-out sequences (`--golden`), read with no flag: the variant comes
/// from each folder's config and weights.
struct TrainedCheckpointTests {
    @Test(
        "a trained checkpoint's forward pass equals its trainer's", arguments: ["transformer-seed0", "resformer-seed0"])
    func golden(name: String) throws {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("notebooks-data/trained/\(name)")
        let model = try ModelRegistry.load(try ModelRegistry.open(folder))
        #expect(model.description.variant == String(name.prefix { $0 != "-" }))
        let capture = try GoldenCapture("trained-\(name)")
        let deviation = try compare(model, with: capture)
        print("golden trained-\(name): \(deviation)")
        #expect(deviation.blocksSeen == capture.header.samples.count * capture.header.layers)
        #expect(deviation.attention <= GoldenForwardTests.attentionTolerance)
        #expect(deviation.values <= GoldenForwardTests.stateTolerance)
        #expect(deviation.hidden <= GoldenForwardTests.stateTolerance)
    }
}
