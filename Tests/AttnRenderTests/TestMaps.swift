import Foundation
@testable import AttnRender

/// Small synthetic inputs and an output folder shared by the render tests.
enum TestMaps {
    /// A folder under the system temporary directory for this test run's PNGs (kept for viewing).
    static let folder: URL = {
        let url = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("attnrender-tests", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A path in ``folder``.
    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// A causal attention map of `t` tokens with a first-token sink of weight `sink` per row and
    /// the rest spread over a local window that decays with distance; rows sum to 1.
    static func causalSink(_ t: Int, sink: Float = 0.6) -> Matrix {
        var values = [Float](repeating: 0, count: t * t)
        for i in 0..<t {
            if i == 0 { values[0] = 1; continue }
            var weights = [Float](repeating: 0, count: i + 1)
            for j in 1...i { weights[j] = Float(exp(-Double(i - j) / 3)) }
            let rest = weights.reduce(0, +)
            values[i * t] = sink
            for j in 1...i { values[i * t + j] = (1 - sink) * weights[j] / rest }
        }
        return try! Matrix(rows: t, cols: t, values: values)
    }

    /// Token labels "tok0", "tok1", ... with a few realistic ones.
    static func tokens(_ t: Int) -> [String] {
        let words = ["<s>", "The", " cat", " sat", " on", " the", " mat", ".", " It", " was", " happy", "\n"]
        return (0..<t).map { $0 < words.count ? words[$0] : "tok\($0)" }
    }
}
