import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading files that come from outside: only regular files, opened without
/// blocking, with their size checked before anything is read.
///
/// A FIFO, a device or a folder where a file is expected is refused at once
/// (opening a FIFO for reading would otherwise wait for a writer forever).
public enum InputFile {
    /// The largest JSON or text file read whole: config.json, tokenizer.json,
    /// prompt files, metrics.json (real tokenizer.json files are under 40 MB).
    public static let maxTextBytes = 1 << 31

    /// Opens `path` read-only and returns the descriptor and the file size;
    /// the caller closes the descriptor. Anything but a regular file (after
    /// following symbolic links) is refused with an error naming the path.
    public static func openRegular(_ path: String) throws -> (descriptor: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw CheckpointError(file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CheckpointError(file: path, "cannot stat: \(reason)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            let kind = switch info.st_mode & S_IFMT {
            case S_IFDIR: "a folder"
            case S_IFIFO: "a FIFO"
            case S_IFCHR, S_IFBLK: "a device"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
            throw CheckpointError(file: path, kind == "not a regular file" ? kind : "is \(kind), not a regular file")
        }
        return (fd, Int(info.st_size))
    }

    /// Whether `path` is a regular file (after following symbolic links), asked without blocking.
    public static func isRegularFile(_ path: String) -> Bool {
        guard let (fd, _) = try? openRegular(path) else { return false }
        close(fd)
        return true
    }

    /// The whole contents of the regular file at `url`, refused when it is
    /// larger than `limit` bytes; errors name the file.
    public static func contents(of url: URL, limit: Int = maxTextBytes) throws -> Data {
        let path = url.path
        let (fd, size) = try openRegular(path)
        defer { close(fd) }
        guard size <= limit else {
            throw CheckpointError(file: path, "is \(size) bytes, over the \(limit)-byte limit for this kind of file")
        }
        var data = Data(count: size)
        var done = 0
        while done < size {
            let got = data.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + done, size - done)
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw CheckpointError(file: path, offset: done, got == 0 ? "file shrank while being read" : "cannot read: \(String(cString: strerror(errno)))")
            }
            done += got
        }
        return data
    }
}
