import AttnScope
import Foundation

/// The targets for files attnscope wrote earlier and reads back: metrics.json and .npy maps.
enum FuzzResults {
    /// `data` is a metrics.json, a NUL byte, then the samples.jsonl beside it.
    static func metrics(_ data: Data) {
        let run = FuzzScratch.emptyFolder("run")
        let split = data.firstIndex(of: 0) ?? data.endIndex
        let url = FuzzScratch.write("run/metrics.json", Data(data[..<split]))
        FuzzScratch.write("run/samples.jsonl", Data(data[split...].dropFirst()))
        guard let document = try? MetricsDocument.read(from: url) else { return }
        _ = try? StandardFigures.writeAll(
            document, at: url, label: document.model.path, to: run.appendingPathComponent("figures"))
    }

    static func npy(_ data: Data) {
        _ = try? NPYFile.read(from: FuzzScratch.write("map.npy", data))
    }
}
