import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory; unmapped when the last
/// reference goes away.
///
/// The bytes are never written, so sharing the mapping across threads is safe.
final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with.
    let path: String
    /// The file's bytes, `count` equal to the file size (empty for an empty file).
    let bytes: UnsafeRawBufferPointer

    /// Maps the regular file at `path`; throws naming the path on any failure
    /// (a FIFO, device or folder is refused without blocking).
    init(path: String) throws {
        self.path = path
        let (fd, size) = try InputFile.openRegular(path)
        defer { close(fd) }
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw CheckpointError(file: path, "cannot map \(size) bytes: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
