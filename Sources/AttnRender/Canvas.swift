/// An RGBA raster: `width` × `height` pixels stored row-major from the top-left corner,
/// four bytes (r, g, b, a) per pixel in `pixels`.
public struct Canvas: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major r, g, b, a bytes, `width * height * 4` of them.
    public internal(set) var pixels: [UInt8]

    /// The most pixels a figure may have: 2²⁶ (a 8192 × 8192 image, 256 MB
    /// of RGBA), far above any standard figure, so that no input can make
    /// the renderer allocate without bound.
    public static let maxPixels = 1 << 26

    /// A canvas filled with `background` (white by default); negative sizes
    /// are empty; more than ``maxPixels`` pixels is refused.
    public init(width: Int, height: Int, background: RGBA = .white) throws {
        (self.width, self.height) = try Self.checkedSize(width: width, height: height)
        pixels = [UInt8](repeating: 0, count: width * height * 4)
        fill(background)
    }

    /// The size clamped to be non-negative; more than ``maxPixels`` pixels is refused.
    static func checkedSize(width: Int, height: Int) throws -> (width: Int, height: Int) {
        let width = max(0, width), height = max(0, height)
        guard width <= Self.maxPixels, height <= Self.maxPixels, width * height <= Self.maxPixels else {
            throw RenderError.invalidInput(
                what: "canvas", reason: "\(width) × \(height) pixels is over the \(Self.maxPixels)-pixel limit")
        }
        return (width, height)
    }

    /// A canvas over existing row-major r, g, b, a bytes; `nil` when the count is not `width * height * 4`.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width >= 0, height >= 0, pixels.count == width * height * 4 else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at column `x`, row `y`; `nil` outside the canvas.
    public func pixel(x: Int, y: Int) -> RGBA? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 4
        return RGBA(pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }

    /// Replaces the pixel at (`x`, `y`) with `color`; ignored outside the canvas.
    public mutating func set(x: Int, y: Int, _ color: RGBA) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 4
        pixels[i] = color.r
        pixels[i + 1] = color.g
        pixels[i + 2] = color.b
        pixels[i + 3] = color.a
    }

    /// Lays `color` over the pixel at (`x`, `y`) with `coverage` (0...1); ignored outside the canvas.
    public mutating func blend(x: Int, y: Int, _ color: RGBA, coverage: Float = 1) {
        guard coverage > 0, let below = pixel(x: x, y: y) else { return }
        set(x: x, y: y, coverage >= 1 && color.a == 255 ? color : color.over(below, coverage: coverage))
    }

    /// Sets every pixel to `color`.
    public mutating func fill(_ color: RGBA) {
        fill(Rect(x: 0, y: 0, width: width, height: height), color)
    }

    /// Lays `color` over every pixel of `rect` (clipped to the canvas); opaque colours replace.
    public mutating func fill(_ rect: Rect, _ color: RGBA) {
        let clipped = rect.intersection(Rect(x: 0, y: 0, width: width, height: height))
        guard !clipped.isEmpty else { return }
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in clipped.y..<clipped.maxY {
                var i = (y * width + clipped.x) * 4
                for _ in 0..<clipped.width {
                    let pixel: RGBA
                    if color.a == 255 {
                        pixel = color
                    } else {
                        pixel = color.over(RGBA(buffer[i], buffer[i + 1], buffer[i + 2], buffer[i + 3]))
                    }
                    buffer[i] = pixel.r
                    buffer[i + 1] = pixel.g
                    buffer[i + 2] = pixel.b
                    buffer[i + 3] = pixel.a
                    i += 4
                }
            }
        }
    }

    /// Draws the outline of `rect` with lines `thickness` pixels wide, inside the rectangle.
    public mutating func stroke(_ rect: Rect, _ color: RGBA, thickness: Int = 1) {
        let t = max(1, min(thickness, rect.width, rect.height))
        fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: t), color)
        fill(Rect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), color)
        fill(Rect(x: rect.x, y: rect.y, width: t, height: rect.height), color)
        fill(Rect(x: rect.maxX - t, y: rect.y, width: t, height: rect.height), color)
    }
}
