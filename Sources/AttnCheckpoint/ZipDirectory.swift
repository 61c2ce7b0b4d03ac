/// The central directory of a zip archive held in a mapped file: each
/// entry's name and the byte range of its data, for archives whose entries
/// are stored uncompressed (as `torch.save` writes them).
///
/// Nothing is decompressed and nothing is copied: an entry is a range of the
/// mapping. A compressed or encrypted entry, a multi-disk archive, an entry
/// whose local header disagrees with the directory, duplicate names, and any
/// offset or size outside the file are refused by name. Zip64 sizes and
/// offsets (archives over 4 GB) are read.
struct ZipDirectory {
    /// The data of one stored entry: `count` bytes at absolute file offset `start`.
    struct Entry: Equatable {
        let start: Int
        let count: Int
    }

    /// Every entry by its name in the archive.
    let entries: [String: Entry]

    /// The most entries read: a state dict of 100,000 tensors has about as many.
    static let maxEntries = 1_000_000
    /// The longest entry name read.
    static let maxNameBytes = 4096

    private static let endSignature: UInt32 = 0x0605_4b50
    private static let zip64EndSignature: UInt32 = 0x0606_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let centralSignature: UInt32 = 0x0201_4b50
    private static let localSignature: UInt32 = 0x0403_4b50
    /// The fixed part of the end-of-central-directory record.
    private static let endRecordBytes = 22

    /// Reads the directory of the zip archive `bytes` of `path`.
    init(path: String, bytes: UnsafeRawBufferPointer) throws {
        let endOffset = try Self.findEnd(path: path, bytes: bytes)
        var end = ByteReader(file: path, bytes: bytes, offset: endOffset + 4)
        let disk = try end.integer(UInt16.self, "disk number")
        let directoryDisk = try end.integer(UInt16.self, "directory disk")
        _ = try end.integer(UInt16.self, "entries on this disk")
        var count = Int(try end.integer(UInt16.self, "entry count"))
        var directorySize = Int(try end.integer(UInt32.self, "directory size"))
        var directoryOffset = Int(try end.integer(UInt32.self, "directory offset"))
        guard disk == 0, directoryDisk == 0 else {
            throw CheckpointError(file: path, offset: endOffset, "multi-disk zip archives are not read")
        }
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            (count, directorySize, directoryOffset) = try Self.zip64End(path: path, bytes: bytes, endOffset: endOffset)
        }
        guard count <= Self.maxEntries else {
            throw CheckpointError(
                file: path, offset: endOffset,
                "zip archive lists \(count) entries, over the limit of \(Self.maxEntries)")
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw CheckpointError(
                file: path, offset: endOffset,
                "zip central directory (\(directorySize) bytes at offset \(directoryOffset)) runs past the end of the file"
            )
        }
        let directory = UnsafeRawBufferPointer(rebasing: bytes[directoryOffset..<(directoryOffset + directorySize)])
        var reader = ByteReader(file: path, bytes: directory)
        var entries: [String: Entry] = [:]
        for _ in 0..<count {
            let at = directoryOffset + reader.offset
            let (name, entry) = try Self.centralEntry(&reader, at: at, path: path, bytes: bytes)
            guard entries.updateValue(entry, forKey: name) == nil else {
                throw CheckpointError(file: path, key: name, offset: at, "zip entry name appears twice")
            }
        }
        self.entries = entries
    }

    /// The offset of the end-of-central-directory record, searched backwards
    /// over the largest possible archive comment.
    private static func findEnd(path: String, bytes: UnsafeRawBufferPointer) throws -> Int {
        guard bytes.count >= endRecordBytes else {
            throw CheckpointError(file: path, "not a zip archive (\(bytes.count) bytes)")
        }
        let lowest = max(0, bytes.count - endRecordBytes - 0xFFFF)
        var offset = bytes.count - endRecordBytes
        while offset >= lowest {
            if bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) == endSignature.littleEndian {
                return offset
            }
            offset -= 1
        }
        throw CheckpointError(file: path, "not a zip archive (no end-of-central-directory record)")
    }

    /// Count, size and offset of the central directory from the zip64 end record.
    private static func zip64End(path: String, bytes: UnsafeRawBufferPointer, endOffset: Int) throws -> (Int, Int, Int)
    {
        guard endOffset >= 20 else {
            throw CheckpointError(file: path, offset: endOffset, "zip64 archive without a zip64 locator")
        }
        var locator = ByteReader(file: path, bytes: bytes, offset: endOffset - 20)
        guard try locator.integer(UInt32.self, "zip64 locator signature") == zip64LocatorSignature else {
            throw CheckpointError(file: path, offset: endOffset - 20, "zip64 archive without a zip64 locator")
        }
        _ = try locator.integer(UInt32.self, "zip64 directory disk")
        let recordOffset = try locator.count("zip64 end record offset")
        guard recordOffset < bytes.count else {
            throw CheckpointError(
                file: path, offset: endOffset - 20,
                "zip64 end record offset \(recordOffset) is past the end of the file")
        }
        var record = ByteReader(file: path, bytes: bytes, offset: recordOffset)
        guard try record.integer(UInt32.self, "zip64 end record signature") == zip64EndSignature else {
            throw CheckpointError(file: path, offset: recordOffset, "bad zip64 end record signature")
        }
        _ = try record.count("zip64 end record size")
        _ = try record.integer(UInt32.self, "versions")
        let disk = try record.integer(UInt32.self, "disk number")
        let directoryDisk = try record.integer(UInt32.self, "directory disk")
        guard disk == 0, directoryDisk == 0 else {
            throw CheckpointError(file: path, offset: recordOffset, "multi-disk zip archives are not read")
        }
        _ = try record.count("entries on this disk")
        let count = try record.count("zip64 entry count")
        let size = try record.count("zip64 directory size")
        let offset = try record.count("zip64 directory offset")
        return (count, size, offset)
    }

    /// Reads one central-directory entry at `reader`, checks its local header
    /// and returns its name and data range.
    private static func centralEntry(
        _ reader: inout ByteReader, at: Int, path: String,
        bytes: UnsafeRawBufferPointer
    ) throws -> (String, Entry) {
        guard try reader.integer(UInt32.self, "zip entry signature") == centralSignature else {
            throw CheckpointError(file: path, offset: at, "bad zip central directory entry signature")
        }
        _ = try reader.integer(UInt32.self, "zip versions")
        let flags = try reader.integer(UInt16.self, "zip entry flags")
        let method = try reader.integer(UInt16.self, "zip compression method")
        _ = try reader.integer(UInt32.self, "zip entry time")
        _ = try reader.integer(UInt32.self, "zip entry crc")
        var compressed = Int(try reader.integer(UInt32.self, "zip compressed size"))
        var size = Int(try reader.integer(UInt32.self, "zip size"))
        let nameLength = Int(try reader.integer(UInt16.self, "zip name length"))
        let extraLength = Int(try reader.integer(UInt16.self, "zip extra length"))
        let commentLength = Int(try reader.integer(UInt16.self, "zip comment length"))
        _ = try reader.integer(UInt16.self, "zip start disk")
        _ = try reader.integer(UInt16.self, "zip internal attributes")
        _ = try reader.integer(UInt32.self, "zip external attributes")
        var local = Int(try reader.integer(UInt32.self, "zip local header offset"))
        guard nameLength <= maxNameBytes else {
            throw CheckpointError(
                file: path, offset: at, "zip entry name of \(nameLength) bytes is over the limit of \(maxNameBytes)")
        }
        let nameBytes = try reader.slice(nameLength, "zip entry name")
        let name = String(decoding: nameBytes, as: UTF8.self)
        var extra = ByteReader(file: path, bytes: try reader.slice(extraLength, "zip extra field"))
        _ = try reader.slice(commentLength, "zip entry comment")
        try readZip64Extra(&extra, size: &size, compressed: &compressed, local: &local, path: path, name: name, at: at)
        guard method == 0 else {
            let kind = method == 8 ? "deflate-compressed" : "compressed (method \(method))"
            throw CheckpointError(
                file: path, key: name, offset: at,
                "zip entry is \(kind): only stored entries are read (torch.save writes them uncompressed)")
        }
        guard flags & 0x41 == 0 else {
            throw CheckpointError(file: path, key: name, offset: at, "zip entry is encrypted")
        }
        guard compressed == size else {
            throw CheckpointError(
                file: path, key: name, offset: at, "stored zip entry has compressed size \(compressed) but size \(size)"
            )
        }
        return (name, try localData(path: path, bytes: bytes, name: nameBytes, local: local, size: size))
    }

    /// Replaces the 0xFFFFFFFF placeholders by the zip64 extra field's values, in the order the format lists them.
    private static func readZip64Extra(
        _ extra: inout ByteReader, size: inout Int, compressed: inout Int, local: inout Int,
        path: String, name: String, at: Int
    ) throws {
        let placeholder = 0xFFFF_FFFF
        guard size == placeholder || compressed == placeholder || local == placeholder else { return }
        while extra.remaining >= 4 {
            let id = try extra.integer(UInt16.self, "zip extra id")
            let length = Int(try extra.integer(UInt16.self, "zip extra length"))
            var field = ByteReader(file: path, bytes: try extra.slice(length, "zip extra data"))
            guard id == 1 else { continue }
            if size == placeholder { size = try field.count("zip64 size") }
            if compressed == placeholder { compressed = try field.count("zip64 compressed size") }
            if local == placeholder { local = try field.count("zip64 local header offset") }
            return
        }
        throw CheckpointError(
            file: path, key: name, offset: at, "zip entry needs zip64 sizes but has no zip64 extra field")
    }

    /// The data range behind the local header at `local`, after checking its
    /// signature, its name and that the data lies inside the file.
    private static func localData(
        path: String, bytes: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer,
        local: Int, size: Int
    ) throws -> Entry {
        let entryName = String(decoding: name, as: UTF8.self)
        var header = ByteReader(file: path, bytes: bytes, offset: min(local, bytes.count))
        guard local < bytes.count, try header.integer(UInt32.self, "zip local header signature") == localSignature
        else {
            throw CheckpointError(file: path, key: entryName, offset: local, "no zip local header")
        }
        _ = try header.slice(22, "zip local header")
        let nameLength = Int(try header.integer(UInt16.self, "zip local name length"))
        let extraLength = Int(try header.integer(UInt16.self, "zip local extra length"))
        guard try header.slice(nameLength, "zip local name").elementsEqual(name) else {
            throw CheckpointError(file: path, key: entryName, offset: local, "zip local header names another entry")
        }
        _ = try header.slice(extraLength, "zip local extra field")
        let start = header.offset
        guard size <= bytes.count - start else {
            throw CheckpointError(
                file: path, key: entryName, offset: start, "zip entry of \(size) bytes runs past the end of the file")
        }
        return Entry(start: start, count: size)
    }
}
