import AttnScope
import Foundation

/// The targets for files attnscope wrote earlier and reads back: metrics.json and .npy maps.
enum FuzzResults {
    static func metrics(_ data: Data) {
        let run = FuzzScratch.emptyFolder("run")
        let url = FuzzScratch.write("run/metrics.json", data)
        guard let document = try? MetricsDocument.read(from: url) else { return }
        _ = try? StandardFigures.writeAll(
            document, label: document.model.path, attentionDirectory: run.appendingPathComponent("attention"),
            to: run.appendingPathComponent("figures"))
    }

    static func npy(_ data: Data) {
        _ = try? NPYFile.read(from: FuzzScratch.write("map.npy", data))
    }
}
