import AttnCheckpoint
import CPNG
import Foundation

/// Reads and writes 8-bit PNG files through libpng's simplified `png_image_*` API.
public enum PNGFile {
    /// Writes `canvas` as an 8-bit RGB PNG (or RGBA when `alpha`) at `url`, through ``OutputFile``:
    /// a temporary sibling renamed over the destination, never through a symbolic link.
    public static func write(_ canvas: Canvas, to url: URL, alpha: Bool = false) throws {
        let data = try encode(canvas, alpha: alpha, path: url.path)
        try OutputFile.write(data, to: url)
    }

    /// The PNG file of `canvas` (8-bit RGB, or RGBA when `alpha`) as bytes; `path` names it in errors.
    public static func encode(_ canvas: Canvas, alpha: Bool = false, path: String = "PNG") throws -> Data {
        guard canvas.width > 0, canvas.height > 0 else {
            throw RenderError.writeFailed(path: path, reason: "empty canvas \(canvas.width)x\(canvas.height)")
        }
        let channels = alpha ? 4 : 3
        var bytes = [UInt8](repeating: 0, count: canvas.width * canvas.height * channels)
        if alpha {
            bytes = canvas.pixels
        } else {
            for i in 0..<(canvas.width * canvas.height) {
                bytes[i * 3] = canvas.pixels[i * 4]
                bytes[i * 3 + 1] = canvas.pixels[i * 4 + 1]
                bytes[i * 3 + 2] = canvas.pixels[i * 4 + 2]
            }
        }
        var image = png_image()
        image.version = png_uint_32(CPNG_IMAGE_VERSION)
        image.width = png_uint_32(canvas.width)
        image.height = png_uint_32(canvas.height)
        image.format = alpha ? CPNG_FORMAT_RGBA : CPNG_FORMAT_RGB
        let stride = png_int_32(canvas.width * channels)
        // One compression into a buffer deflate cannot overflow (stored blocks cost 5 bytes per 16 KiB, each row
        // one filter byte, the chunks a few hundred bytes); should libpng still want more, it says how much.
        var capacity = bytes.count + bytes.count / 1024 + canvas.height + 4096
        var data = Data(count: capacity)
        for _ in 0..<2 {
            var size = capacity
            let ok = data.withUnsafeMutableBytes { out in
                bytes.withUnsafeBytes {
                    png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, stride, nil)
                }
            }
            if ok != 0 { return data.prefix(size) }
            guard size > capacity else { break }
            capacity = size
            data = Data(count: capacity)
        }
        let reason = message(of: &image)
        png_image_free(&image)
        throw RenderError.writeFailed(path: path, reason: reason)
    }

    /// Reads the PNG at `url` (any bit depth or colour type libpng accepts) as an RGBA canvas.
    public static func read(from url: URL) throws -> Canvas {
        let path = url.path
        var image = png_image()
        image.version = png_uint_32(CPNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw RenderError.readFailed(path: path, reason: reason)
        }
        image.format = CPNG_FORMAT_RGBA
        let width = Int(image.width)
        let height = Int(image.height)
        var bytes = [UInt8](repeating: 0, count: width * height * 4)
        let ok = bytes.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, png_int_32(width * 4), nil)
        }
        guard ok != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw RenderError.readFailed(path: path, reason: reason)
        }
        guard let canvas = Canvas(width: width, height: height, pixels: bytes) else {
            throw RenderError.readFailed(path: path, reason: "decoded \(bytes.count) bytes for \(width)x\(height)")
        }
        return canvas
    }

    /// libpng's 64-byte error message stored in `image`.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

extension Canvas {
    /// Writes this canvas as an 8-bit RGB PNG at `url` (see ``PNGFile/write(_:to:alpha:)``).
    public func write(to url: URL) throws {
        try PNGFile.write(self, to: url)
    }
}
