/// One 8-bit sRGB colour with straight (not premultiplied) alpha.
public struct RGBA: Sendable, Hashable, CustomStringConvertible {
    /// Red, 0...255.
    public var r: UInt8
    /// Green, 0...255.
    public var g: UInt8
    /// Blue, 0...255.
    public var b: UInt8
    /// Opacity, 0 (transparent) ... 255 (opaque).
    public var a: UInt8

    /// A colour from its four channels; alpha defaults to opaque.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    /// An opaque colour from a 24-bit hex value such as `0x1f77b4`.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xff), UInt8((hex >> 8) & 0xff), UInt8(hex & 0xff))
    }

    /// This colour laid over `background` with `coverage` (0...1) times its own alpha.
    public func over(_ background: RGBA, coverage: Float = 1) -> RGBA {
        let alpha = max(0, min(1, coverage)) * Float(a) / 255
        func mix(_ top: UInt8, _ bottom: UInt8) -> UInt8 {
            UInt8((Float(top) * alpha + Float(bottom) * (1 - alpha)).rounded())
        }
        let outAlpha = alpha + Float(background.a) / 255 * (1 - alpha)
        return RGBA(mix(r, background.r), mix(g, background.g), mix(b, background.b), UInt8((outAlpha * 255).rounded()))
    }

    /// `#rrggbb` or `#rrggbbaa` when not opaque.
    public var description: String {
        let channels = a == 255 ? [r, g, b] : [r, g, b, a]
        return "#" + channels.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// White, the background of every figure.
    public static let white = RGBA(255, 255, 255)
    /// Black, for frames and text.
    public static let black = RGBA(0, 0, 0)
    /// Dark grey for secondary text (tick values, captions).
    public static let darkGray = RGBA(64, 64, 64)
    /// Mid grey for tick marks and reference lines.
    public static let gray = RGBA(128, 128, 128)
    /// Light grey for grid lines.
    public static let lightGray = RGBA(225, 225, 225)
    /// The neutral grey of map cells that hold no value: keys a query cannot see (the causal mask,
    /// outside a sliding window) and undefined entries. Every entry of every colormap differs from it
    /// by at least 45 in some channel, so a masked cell never reads as a weight.
    public static let masked = RGBA(170, 170, 170)
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
