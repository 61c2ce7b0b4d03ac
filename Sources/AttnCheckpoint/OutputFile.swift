import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing inside a folder that someone else may have prepared: every file
/// and folder attnscope creates is reached without following a symbolic
/// link, and nothing is ever opened that could block (a FIFO) or reach a
/// device.
///
/// A write to `folder/name` opens `folder` with `O_NOFOLLOW | O_DIRECTORY`
/// (so a symlinked `attention/` or `figures/` is refused, not followed),
/// refuses a `name` that already exists as anything but a regular file
/// (looked at with `fstatat(…, AT_SYMLINK_NOFOLLOW)`, never opened), writes
/// a fresh temporary sibling created with `O_EXCL | O_NOFOLLOW`, and renames
/// it over `name` with `renameat`, which replaces a directory entry and
/// never follows one. Folders are created one component at a time the same
/// way. The folders *above* the one a caller names are resolved as usual:
/// they are the user's.
public enum OutputFile {
    /// Writes `data` as the regular file `url` through a temporary sibling and
    /// a rename, so readers never see half a file; `durable` also flushes the
    /// file and its folder to the disk before returning.
    public static func write(_ data: Data, to url: URL, durable: Bool = false) throws {
        let folder = try openFolder(url.deletingLastPathComponent(), creating: true)
        defer { close(folder) }
        let name = url.lastPathComponent
        try refuseNonRegular(name, in: folder, path: url.path)
        let temporary = ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError.failed(path: url.path, errno: errno) }
        do {
            try writeAll(data, to: fd, path: url.path)
            if durable, fsync(fd) != 0 { throw OutputError.failed(path: url.path, errno: errno) }
            close(fd)
        } catch {
            close(fd)
            unlinkat(folder, temporary, 0)
            throw error
        }
        guard renameat(folder, temporary, folder, name) == 0 else {
            let code = errno
            unlinkat(folder, temporary, 0)
            if code == EISDIR || code == ENOTEMPTY || code == EEXIST {
                throw OutputError.refused(path: url.path, reason: "is a folder where attnscope writes a file")
            }
            throw OutputError.failed(path: url.path, errno: code)
        }
        if durable, fsync(folder) != 0 { throw OutputError.failed(path: url.path, errno: errno) }
    }

    /// Opens the regular file `url` for appending (created when missing),
    /// after cutting it to `length` bytes (nil: to nothing); returns the
    /// descriptor, which the caller closes. A symlink, FIFO or device at `url`
    /// is refused without being opened.
    public static func openForAppending(_ url: URL, keeping length: Int?) throws -> Int32 {
        let folder = try openFolder(url.deletingLastPathComponent(), creating: true)
        defer { close(folder) }
        let name = url.lastPathComponent
        try refuseNonRegular(name, in: folder, path: url.path)
        let fd = openat(folder, name, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENXIO {
                throw OutputError.refused(path: url.path, reason: "is not a regular file")
            }
            throw OutputError.failed(path: url.path, errno: errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw OutputError.refused(path: url.path, reason: "is not a regular file")
        }
        guard ftruncate(fd, off_t(length ?? 0)) == 0 else {
            let code = errno
            close(fd)
            throw OutputError.failed(path: url.path, errno: code)
        }
        return fd
    }

    /// Creates the folder `url` (and the missing folders above it) unless it
    /// exists; refuses it when it is a symbolic link or not a folder.
    public static func makeFolder(_ url: URL) throws {
        close(try openFolder(url, creating: true))
    }

    /// Removes the regular file `url`; nothing when absent. Anything else there (a link, a FIFO,
    /// a folder) is refused, as a write to it would be.
    public static func remove(_ url: URL) throws {
        let folder: Int32
        do { folder = try openFolder(url.deletingLastPathComponent(), creating: false) } catch OutputError.missing {
            return
        }
        defer { close(folder) }
        try unlinkRegular(url.lastPathComponent, in: folder, path: url.path)
    }

    /// Removes the folder `url` and the regular files directly in it (the layout of `attention/`);
    /// refuses a symlinked folder, or one holding anything but regular files.
    public static func removeFolder(_ url: URL) throws {
        let fd: Int32
        do { fd = try openFolder(url, creating: false) } catch OutputError.missing { return }
        defer { close(fd) }
        for name in try entries(of: fd, path: url.path) {
            try unlinkRegular(name, in: fd, path: url.appendingPathComponent(name).path)
        }
        let parent = try openFolder(url.deletingLastPathComponent(), creating: false)
        defer { close(parent) }
        guard unlinkat(parent, url.lastPathComponent, AT_REMOVEDIR) == 0 || errno == ENOENT else {
            throw OutputError.failed(path: url.path, errno: errno)
        }
    }

    /// The names in the folder `url` (sorted; none when it is absent); a symlinked folder is refused.
    public static func names(in url: URL) throws -> [String] {
        let fd: Int32
        do { fd = try openFolder(url, creating: false) } catch OutputError.missing { return [] }
        defer { close(fd) }
        return try entries(of: fd, path: url.path)
    }

    /// Flushes the folder `url`'s entries (new names, renames) to the disk.
    public static func syncFolder(_ url: URL) throws {
        let fd = try openFolder(url, creating: false)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw OutputError.failed(path: url.path, errno: errno) }
    }

    /// Flushes an open file to the disk.
    public static func sync(_ descriptor: Int32, path: String) throws {
        guard fsync(descriptor) == 0 else { throw OutputError.failed(path: path, errno: errno) }
    }

    /// Writes every byte of `data` to `fd`, retrying on interruption.
    public static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let written = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw OutputError.failed(path: path, errno: written < 0 ? errno : ENOSPC) }
                done += written
            }
        }
    }

    /// A descriptor of the folder `url`, opened without following a symlink at
    /// its last component (unless `following`: the folders above the one a
    /// caller names are the user's); missing folders are made when `creating`.
    static func openFolder(_ url: URL, creating: Bool, following: Bool = false) throws -> Int32 {
        let path = url.path.isEmpty ? "." : url.path
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (following ? 0 : O_NOFOLLOW)
        let fd = open(path, flags)
        if fd >= 0 { return fd }
        let code = errno
        guard code == ENOENT else { throw refusal(path: path, errno: code) }
        guard creating else { throw OutputError.missing(path: path) }
        let parent = url.deletingLastPathComponent()
        guard parent.path != path, !parent.path.isEmpty else { throw OutputError.failed(path: path, errno: code) }
        let parentFD = try openFolder(parent, creating: true, following: true)
        defer { close(parentFD) }
        guard mkdirat(parentFD, url.lastPathComponent, 0o755) == 0 || errno == EEXIST else {
            throw OutputError.failed(path: path, errno: errno)
        }
        let made = openat(parentFD, url.lastPathComponent, flags)
        guard made >= 0 else { throw refusal(path: path, errno: errno) }
        return made
    }

    /// The error for a folder that could not be opened: refused when something else sits there.
    private static func refusal(path: String, errno code: Int32) -> OutputError {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return code == ENOTDIR
                ? .refused(path: path, reason: "a file on the way to it is not a folder")
                : .failed(path: path, errno: code)
        }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            return .refused(
                path: path, reason: "is a symbolic link where attnscope writes a folder; it is never followed")
        case S_IFDIR: return .failed(path: path, errno: code)
        default: return .refused(path: path, reason: "is \(kind(info.st_mode)) where attnscope writes a folder")
        }
    }

    /// Removes the regular file `name` from `folder`, refusing anything else; nothing when absent.
    private static func unlinkRegular(_ name: String, in folder: Int32, path: String) throws {
        try refuseNonRegular(name, in: folder, path: path)
        guard unlinkat(folder, name, 0) == 0 || errno == ENOENT else {
            throw OutputError.failed(path: path, errno: errno)
        }
    }

    /// Refuses `name` in `folder` when it exists as anything but a regular file; never opens it.
    private static func refuseNonRegular(_ name: String, in folder: Int32, path: String) throws {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            guard errno == ENOENT else { throw OutputError.failed(path: path, errno: errno) }
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let extra = (info.st_mode & S_IFMT) == S_IFLNK ? "; it is never followed" : ""
            throw OutputError.refused(
                path: path, reason: "is \(kind(info.st_mode)) where attnscope writes a file\(extra)")
        }
    }

    /// "a symbolic link", "a FIFO", … for a file mode.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a folder"
        case S_IFREG: "a regular file"
        default: "not a regular file"
        }
    }

    /// The names in an open folder, `.` and `..` left out, sorted.
    static func entries(of folder: Int32, path: String) throws -> [String] {
        let copy = dup(folder)
        guard copy >= 0, let stream = fdopendir(copy) else { throw OutputError.failed(path: path, errno: errno) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// A file attnscope writes could not be written: refused (something that is
/// not a regular file sits where it writes; exit 65) or failed (the system
/// said no: a full disk, a read-only folder; exit 74).
public enum OutputError: Error, CustomStringConvertible, Sendable {
    /// Something sits at `path` that attnscope will not write through.
    case refused(path: String, reason: String)
    /// The system refused the write.
    case failed(path: String, reason: String)
    /// The folder does not exist (internal: removal of something absent).
    case missing(path: String)

    static func failed(path: String, errno code: Int32) -> OutputError {
        .failed(path: path, reason: String(cString: strerror(code)))
    }

    public var description: String {
        switch self {
        case .refused(let path, let reason): "\(path): \(reason)"
        case .failed(let path, let reason): "\(path): cannot write (\(reason))"
        case .missing(let path): "\(path): no such folder"
        }
    }
}

/// `write(2)`, named apart from ``OutputFile/write(_:to:durable:)``.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
