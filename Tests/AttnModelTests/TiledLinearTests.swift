import AttnKernels
import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint
@testable import AttnModel

/// `linear` over weights left in their stored encoding, decoded tile by
/// tile, against products with the whole weight decoded first, for every type
/// of the `quant-tiny.gguf` fixture.
///
/// The decoded values are bit-identical whatever the tiling. The products
/// are bit-identical to the same column blocks of the fully decoded weight;
/// against one product over all columns they may differ in the last bits,
/// because OpenBLAS's sgemm kernels accumulate differently depending on
/// how the output columns are blocked (measured on this machine's Zen
/// kernels with 20 or more input rows), so that comparison allows a few ulps.
struct TiledLinearTests {
    let gguf: GGUFFile
    let expected: SafetensorsFile

    init() throws {
        gguf = try GGUFFile(url: Fixtures.url("gguf/quant-tiny.gguf"))
        expected = try SafetensorsFile(url: Fixtures.url("gguf/quant-tiny.expected.safetensors"))
    }

    /// `input[rows, columns]` of values in [-2, 2) from a fixed seed.
    private func input(rows: Int, columns: Int, seed: UInt64) -> FloatBuffer {
        var state = seed
        return FloatBuffer(
            (0..<(rows * columns)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(state >> 40) / Float(1 << 24) * 4 - 2
            })
    }

    /// `input · weightᵀ` with `weight` (`[outputs, inputs]` row-major) fully
    /// decoded, one product per block of `blockRows` weight rows (all of them by default).
    private func dense(
        _ input: FloatBuffer, _ weight: [Float], rows: Int, inputs: Int, outputs: Int, blockRows: Int? = nil
    ) -> [Float] {
        let out = FloatBuffer(count: rows * outputs)
        let block = blockRows ?? outputs
        weight.withUnsafeBufferPointer { w in
            for first in stride(from: 0, to: outputs, by: block) {
                BLAS.gemm(
                    m: rows, n: min(block, outputs - first), k: inputs, input.pointer, w.baseAddress! + first * inputs,
                    transposeB: true,
                    out.pointer + first, ldc: outputs
                )
            }
        }
        return Array(out.buffer)
    }

    /// Whether `got` and `want` differ by at most 4 ulps of the largest term
    /// sum `Σ|input·weight|` of their output element.
    private func close(
        _ got: [Float], _ want: [Float], _ input: FloatBuffer, _ weight: [Float], inputs: Int, outputs: Int
    ) -> Bool {
        got.indices.allSatisfy { i in
            let (r, o) = i.quotientAndRemainder(dividingBy: outputs)
            let magnitude = (0..<inputs).reduce(Float(0)) {
                $0 + abs(input.pointer[r * inputs + $1] * weight[o * inputs + $1])
            }
            return abs(got[i] - want[i]) <= 4 * Float(inputs).squareRoot() * magnitude.ulp
        }
    }

    private func tiled(
        _ input: FloatBuffer, _ weight: WeightMatrix, rows: Int, tileRows: Int?, runTiles: Int? = nil
    ) -> [Float] {
        let out = FloatBuffer(count: rows * weight.rows)
        linear(
            input, weight, nil, batch: Batch(lengths: [rows]), inputs: weight.columns, outputs: weight.rows, into: out,
            tileRows: tileRows, runTiles: runTiles)
        return Array(out.buffer)
    }

    @Test func everyStoredTypeMatchesTheDenseProduct() throws {
        #expect(gguf.tensors.count == 14)
        for (name, info) in gguf.tensors.sorted(by: { $0.key < $1.key }) {
            let weight = try gguf.matrix(name)
            let columns = try #require(info.shape.last)
            #expect(weight.rows * weight.columns == info.elementCount && weight.columns == columns, "\(name)")
            #expect((weight.floatsInPlace != nil) == (info.dtype == .f32), "\(name): only aligned F32 is used in place")
            let decoded = try gguf.floats(name)
            #expect(decoded.map(\.bitPattern) == (try expected.floats(name)).map(\.bitPattern), "\(name)")
            for rows in [1, 7, 33] {
                let x = input(rows: rows, columns: columns, seed: UInt64(rows))
                let want = dense(x, decoded, rows: rows, inputs: columns, outputs: weight.rows)
                for (tileRows, runTiles) in [(1, 1), (3, 2), (5, nil), (nil, nil)] {
                    let got = tiled(x, weight, rows: rows, tileRows: tileRows, runTiles: runTiles)
                    let tile = tileRows ?? linearTileRows(inputs: columns)
                    let run = tile * (runTiles ?? linearRunTiles(tileRows: tile, inputs: columns))
                    let sameBlocks = dense(
                        x, decoded, rows: rows, inputs: columns, outputs: weight.rows, blockRows: run)
                    #expect(
                        got.map(\.bitPattern) == sameBlocks.map(\.bitPattern),
                        "\(name): \(rows) rows, tiles of \(tile), products of \(run) outputs")
                    if run >= weight.rows {
                        #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(name): \(rows) rows, one product")
                    }
                    #expect(
                        close(got, want, x, decoded, inputs: columns, outputs: weight.rows),
                        "\(name): \(rows) rows, tiles of \(tile)")
                }
                // The same values as F32 safetensors, multiplied in place.
                let inPlace = try expected.matrix(name)
                #expect(inPlace.floatsInPlace != nil, "\(name)")
                #expect(
                    tiled(x, inPlace, rows: rows, tileRows: nil).map(\.bitPattern) == want.map(\.bitPattern),
                    "\(name) in place")
            }
        }
    }

    @Test func rowOrderAndRowRangesReadTheRightRowsWithoutCopies() throws {
        for name in ["q4_k.weight", "q6_k.weight", "q8_0.weight", "f16.weight"] {
            let plain = try gguf.matrix(name)
            let decoded = plain.floats()
            let columns = plain.columns
            // llama.cpp's Q/K permutation with two heads, undone by reading rows out of order.
            let order = LlamaRowPermutation.storedRows(rows: plain.rows, heads: 2)
            let permuted = try gguf.matrix(name, storedRows: order)
            #expect(permuted.floats() == LlamaRowPermutation.unpermute(decoded, rows: plain.rows, heads: 2), "\(name)")
            for range in [1..<3, 0..<1, (plain.rows - 1)..<plain.rows] {
                let part = permuted.rows(range)
                let want = Array(
                    LlamaRowPermutation.unpermute(decoded, rows: plain.rows, heads: 2)[
                        (range.lowerBound * columns)..<(range.upperBound * columns)])
                #expect(part.floats() == want, "\(name) rows \(range) of the permuted matrix")
                #expect(
                    plain.rows(range).floats()
                        == Array(decoded[(range.lowerBound * columns)..<(range.upperBound * columns)]),
                    "\(name) rows \(range)")
                let x = input(rows: 5, columns: columns, seed: 9)
                #expect(
                    tiled(x, part, rows: 5, tileRows: 1)
                        == dense(x, want, rows: 5, inputs: columns, outputs: range.count), "\(name) rows \(range)")
            }
        }
        // Rows of an F32 matrix stay in place whatever range is taken; a row order forces a copy.
        let f32 = try expected.matrix("q4_k.weight")
        #expect(f32.rows(1..<3).floatsInPlace == f32.floatsInPlace.map { $0 + f32.columns })
        #expect(try gguf.matrix("f32.weight", storedRows: [2, 0, 1]).floatsInPlace == nil)
    }

    @Test func malformedRowOrdersAndMissingTensorsAreRefusedByName() throws {
        let short = #expect(throws: CheckpointError.self) { try gguf.matrix("q4_k.weight", storedRows: [0, 1]) }
        #expect(
            short?.description.contains(
                "tensor 'q4_k.weight': a row order must name one of the 4 stored rows for each row") == true)
        let outside = #expect(throws: CheckpointError.self) {
            try gguf.matrix("q4_k.weight", storedRows: [0, 1, 2, 4])
        }
        #expect(outside != nil)
        let missing = #expect(throws: CheckpointError.self) { try gguf.matrix("nope.weight") }
        #expect(missing?.description.contains("tensor 'nope.weight' not found") == true)
    }
}
