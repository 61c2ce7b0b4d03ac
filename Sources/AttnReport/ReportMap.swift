import AttnRender
import Foundation

/// One saved `[H, T, T]` map as the report carries it: block-averaged to at most ``maxSide``
/// cells a side, each value a 16-bit logarithmic code (0 = exactly zero; code `q` ≥ 1 stands for
/// `10^(codeFloor · (1 − (q − 1) / 65534))`, about 0.03 % apart), little-endian, base64.
public struct ReportMap: Encodable, Sendable {
    /// The longest side kept: a longer map is shown as block means of `factor` × `factor` tokens.
    public static let maxSide = 256
    /// The decade the smallest nonzero code stands for (1e-9).
    public static let codeFloor = -9.0

    /// The sample's prompt index.
    public var sample: Int
    /// The block.
    public var layer: Int
    /// `T`, the sample's token count.
    public var tokens: Int
    /// Cells a side after block-averaging: `ceil(T / factor)`.
    public var size: Int
    /// Tokens per cell side.
    public var factor: Int
    /// The sliding window `w` when the block's maps are zero for every `i − j ≥ w` (a sliding block), else nil.
    public var window: Int?
    /// The codes, head by head, row by row.
    public var data: String

    /// The report's form of sample `sample`'s block `layer` maps (`heads` × `tokens` × `tokens`
    /// row-major `values`); `window` is the block's sliding window (or, for a document that does
    /// not list each block's, the model's), which the block is taken to use only when its maps are
    /// zero outside it.
    public init(sample: Int, layer: Int, heads: Int, tokens: Int, values: [Float], window: Int?) throws {
        guard heads > 0, tokens > 0, values.count == heads * tokens * tokens else {
            throw RenderError.invalidInput(
                what: "map", reason: "\(values.count) values for \(heads) × \(tokens) × \(tokens)")
        }
        self.sample = sample
        self.layer = layer
        self.tokens = tokens
        factor = (tokens + Self.maxSide - 1) / Self.maxSide
        size = (tokens + factor - 1) / factor
        self.window = window.flatMap { w in Self.zeroOutside(window: w, heads: heads, tokens: tokens, values) ? w : nil
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(heads * size * size * 2)
        for h in 0..<heads {
            let head = try Matrix(
                rows: tokens, cols: tokens, values: Array(values[(h * tokens * tokens)..<((h + 1) * tokens * tokens)]))
            for v in head.blockMean(factor).values {
                let code = Self.code(v)
                bytes.append(UInt8(code & 0xff))
                bytes.append(UInt8(code >> 8))
            }
        }
        data = Data(bytes).base64EncodedString()
    }

    /// Cells this map holds, over all heads.
    public static func cells(heads: Int, tokens: Int) -> Int {
        let factor = (tokens + maxSide - 1) / maxSide
        let size = (tokens + factor - 1) / factor
        return heads * size * size
    }

    /// The 16-bit code of `value`.
    static func code(_ value: Float) -> UInt16 {
        guard value.isFinite, value > 0 else { return 0 }
        let position = (1 - log10(Double(value)) / Self.codeFloor) * 65534
        return UInt16(1 + max(0, min(65534, position.rounded())))
    }

    /// Whether every entry `i − j ≥ window` of every head is exactly 0 (and there is one).
    static func zeroOutside(window: Int, heads: Int, tokens: Int, _ values: [Float]) -> Bool {
        guard window > 0, tokens > window else { return false }
        for h in 0..<heads {
            for i in window..<tokens {
                let row = (h * tokens + i) * tokens
                for j in 0...(i - window) where values[row + j] != 0 { return false }
            }
        }
        return true
    }
}
