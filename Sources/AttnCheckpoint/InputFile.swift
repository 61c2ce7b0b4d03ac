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
    /// The largest file of each kind read whole. Parsing JSON costs several
    /// times the file in memory, so each bound sits well above real files
    /// yet far below this machine's memory.
    public enum Limit {
        /// config.json and model.safetensors.index.json (real ones: under 1 MB).
        public static let config = 64 << 20
        /// tokenizer.json (Gemma 3's, among the largest: 33 MB).
        public static let tokenizer = 512 << 20
        /// A prompt file (a million 1 KB prompts).
        public static let prompts = 1 << 30
        /// metrics.json, run.json and the other small documents attnscope writes.
        public static let document = 256 << 20
        /// A `.npy` attention map (raw float32, copied once).
        public static let array = 1 << 31
    }

    /// Opens `path` read-only and returns the descriptor and the file size;
    /// the caller closes the descriptor. Anything but a regular file (after
    /// following symbolic links, unless `followingLinks` is false: then a link
    /// is refused too) is refused with an error naming the path.
    public static func openRegular(_ path: String, followingLinks: Bool = true) throws -> (descriptor: Int32, size: Int)
    {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            if errno == ELOOP, !followingLinks {
                throw CheckpointError(file: path, "is a symbolic link, not a regular file")
            }
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
            let kind =
                switch info.st_mode & S_IFMT {
                case S_IFDIR: "is a folder, "
                case S_IFIFO: "is a FIFO, "
                case S_IFCHR, S_IFBLK: "is a device, "
                case S_IFSOCK: "is a socket, "
                default: ""
                }
            throw CheckpointError(file: path, kind + "not a regular file")
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
    /// larger than `limit` bytes (one of ``Limit``); errors name the file.
    /// `followingLinks: false` refuses a symbolic link at `url`.
    public static func contents(of url: URL, limit: Int, followingLinks: Bool = true) throws -> Data {
        let path = url.path
        let (fd, size) = try openRegular(path, followingLinks: followingLinks)
        defer { close(fd) }
        guard size <= limit else {
            throw CheckpointError(
                file: path, "is \(size) bytes, over the \(limit >> 20) MB limit for this kind of file")
        }
        var data = Data(count: size)
        var done = 0
        while done < size {
            let got = data.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + done, size - done)
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw CheckpointError(
                    file: path, offset: done,
                    got == 0 ? "file shrank while being read" : "cannot read: \(String(cString: strerror(errno)))")
            }
            done += got
        }
        return data
    }
}
