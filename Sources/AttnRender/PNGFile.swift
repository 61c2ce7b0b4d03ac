import CPNG
import Foundation

/// Reads and writes 8-bit PNG files through libpng's simplified `png_image_*` API.
public enum PNGFile {
    /// Writes `canvas` as an 8-bit RGB PNG (or RGBA when `alpha`) at `url`, first to a temporary
    /// file in the same folder which is then renamed over the destination.
    public static func write(_ canvas: Canvas, to url: URL, alpha: Bool = false) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw RenderError.writeFailed(path: path, reason: "folder \(folder) does not exist")
        }
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
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let ok = bytes.withUnsafeBytes { buffer in
            png_image_write_to_file(&image, temporary, 0, buffer.baseAddress, png_int_32(canvas.width * channels), nil)
        }
        guard ok != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            unlink(temporary)
            throw RenderError.writeFailed(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RenderError.writeFailed(path: path, reason: "rename from \(temporary) failed: \(reason)")
        }
    }

    /// `canvas` as the bytes of an 8-bit RGB PNG file, made in memory (for images inside an SVG).
    public static func encoded(_ canvas: Canvas) throws -> Data {
        guard canvas.width > 0, canvas.height > 0 else {
            throw RenderError.invalidInput(what: "canvas", reason: "empty canvas \(canvas.width)x\(canvas.height)")
        }
        var bytes = [UInt8](repeating: 0, count: canvas.width * canvas.height * 3)
        for i in 0..<(canvas.width * canvas.height) {
            bytes[i * 3] = canvas.pixels[i * 4]
            bytes[i * 3 + 1] = canvas.pixels[i * 4 + 1]
            bytes[i * 3 + 2] = canvas.pixels[i * 4 + 2]
        }
        var image = png_image()
        image.version = png_uint_32(CPNG_IMAGE_VERSION)
        image.width = png_uint_32(canvas.width)
        image.height = png_uint_32(canvas.height)
        image.format = CPNG_FORMAT_RGB
        let stride = png_int_32(canvas.width * 3)
        var size = 0
        // A first call without a buffer reports the size the file needs.
        let sized = bytes.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil) }
        var file = [UInt8](repeating: 0, count: max(1, size))
        let ok = sized != 0 ? bytes.withUnsafeBytes { buffer in
            file.withUnsafeMutableBytes { png_image_write_to_memory(&image, $0.baseAddress, &size, 0, buffer.baseAddress, stride, nil) }
        } : 0
        guard ok != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw RenderError.invalidInput(what: "PNG encoding", reason: reason)
        }
        return Data(file.prefix(size))
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
