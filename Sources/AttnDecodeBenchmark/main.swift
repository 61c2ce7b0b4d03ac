// Decode throughput of every stored type of a GGUF file: each matrix is
// decoded as `linear` decodes it, 64 rows at a time into one reused scratch.
//
//     swift run -c release AttnDecodeBenchmark FILE.gguf
//
// Prints, per tensor, float32 output GB/s, stored input GB/s and the time to
// decode the whole matrix once (what one `linear` call costs besides its product).
import AttnCheckpoint
import Foundation

guard CommandLine.arguments.count == 2 else {
    print("usage: AttnDecodeBenchmark FILE.gguf")
    exit(2)
}
let gguf = try GGUFFile(url: URL(fileURLWithPath: CommandLine.arguments[1]))
let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

var seen = Set<TensorDType>()
for (name, info) in gguf.tensors.sorted(by: { $0.value.elementCount > $1.value.elementCount })
where info.shape.count == 2 {
    guard seen.insert(info.dtype).inserted else { continue }
    let matrix = try gguf.matrix(name)
    let tile = 64
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: tile * matrix.columns)
    defer { scratch.deallocate() }
    func decodeAll() {
        for first in stride(from: 0, to: matrix.rows, by: tile) {
            matrix.decode(rows: first..<min(first + tile, matrix.rows), into: scratch)
        }
    }
    decodeAll()
    var best = Double.infinity
    for _ in 0..<5 { best = min(best, seconds(clock.measure(decodeAll))) }
    let values = Double(matrix.rows * matrix.columns)
    let stored = Double(info.dtype.byteCount(elements: matrix.rows * matrix.columns) ?? 0)
    print(
        String(
            format: "%-5@ %-28@ [%6d, %6d]  %6.2f GB/s out  %6.2f GB/s in  %7.2f ms per matrix",
            info.dtype.rawValue as NSString, name as NSString, matrix.rows, matrix.columns,
            4 * values / best / 1e9, stored / best / 1e9, best * 1e3))
}
