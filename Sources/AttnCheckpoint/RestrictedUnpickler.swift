/// A pickle interpreter that builds a PyTorch state dict and nothing else.
///
/// It reads protocol 2–5 pickles using only the opcodes `torch.save` writes
/// for a state dict (plus protocol 4's framing, short strings and
/// `STACK_GLOBAL`), resolves only the globals of ``PickleGlobal``, calls
/// only `OrderedDict()` and the two tensor-rebuilding functions (whose
/// arguments it checks itself), accepts `BUILD` only as an OrderedDict's
/// attribute dict (which it drops) and persistent ids only as storages that
/// the archive holds. Every other opcode, global, call, `BUILD` or persistent
/// id is refused with one line naming it and its byte offset. Nothing is
/// imported, looked up or executed. Stack, marks, memo indices, tuple nesting
/// and container sizes are bounded.
struct RestrictedUnpickler {
    /// The file, for messages.
    let path: String
    /// The zip entry holding the pickle, for messages.
    let entryName: String
    /// The pickle's bytes.
    let bytes: UnsafeRawBufferPointer
    /// Absolute file offset of `bytes`, so messages give file offsets.
    let fileOffset: Int
    /// The byte size of storage `key`'s zip entry, nil when the archive has no such entry.
    let storageBytes: (String) -> Int?

    /// The deepest stack.
    static let maxStack = 1 << 20
    /// The most open marks.
    static let maxMarks = 1 << 12
    /// The largest memo index.
    static let maxMemoIndex = 1 << 24
    /// The deepest tuple nesting.
    static let maxTupleDepth = 32
    /// The most items in all lists and dicts together.
    static let maxItems = 1 << 24
    /// The most dimensions of a tensor.
    static let maxDimensions = 16

    /// The lists and dicts built so far.
    var objects = PickleObjects()
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var items = 0
    /// Offset (in `bytes`) of the opcode being run.
    private var opcodeOffset = 0
    /// Storages seen, by key: one key must always name the same storage.
    var storages: [String: TorchStorage] = [:]

    init(
        path: String, entryName: String, bytes: UnsafeRawBufferPointer, fileOffset: Int,
        storageBytes: @escaping (String) -> Int?
    ) {
        self.path = path
        self.entryName = entryName
        self.bytes = bytes
        self.fileOffset = fileOffset
        self.storageBytes = storageBytes
    }

    /// An error at the current opcode.
    func refuse(_ message: String) -> CheckpointError {
        CheckpointError(file: path, key: entryName, offset: fileOffset + opcodeOffset, message)
    }

    /// Runs the pickle to its `STOP` and returns the value it produced.
    mutating func run() throws -> PickleValue {
        var reader = ByteReader(file: path, bytes: bytes)
        while true {
            opcodeOffset = reader.offset
            guard reader.remaining > 0 else { throw refuse("pickle ends without STOP") }
            let opcode = try reader.integer(UInt8.self, "pickle opcode")
            if opcode == 0x2E {  // STOP
                guard marks.isEmpty, stack.count == 1, let result = stack.first else {
                    throw refuse("STOP with \(stack.count) values on the stack and \(marks.count) open marks")
                }
                return result
            }
            try step(opcode, &reader)
        }
    }

    /// Runs one opcode.
    private mutating func step(_ opcode: UInt8, _ reader: inout ByteReader) throws {
        switch opcode {
        case 0x80:  // PROTO
            let version = try reader.integer(UInt8.self, "pickle protocol")
            guard (2...5).contains(version) else { throw refuse("pickle protocol \(version) is not read (2 to 5 are)") }
        case 0x95:  // FRAME
            let length = try reader.count("pickle frame length")
            guard length <= reader.remaining else { throw refuse("pickle frame of \(length) bytes runs past the end") }
        case 0x28:  // MARK
            guard marks.count < Self.maxMarks else { throw refuse("more than \(Self.maxMarks) nested marks") }
            marks.append(stack.count)
        case 0x4E: try push(.none)  // NONE
        case 0x88: try push(.bool(true))  // NEWTRUE
        case 0x89: try push(.bool(false))  // NEWFALSE
        case 0x4A: try push(.int(Int(try reader.integer(Int32.self, "BININT"))))  // BININT
        case 0x4B: try push(.int(Int(try reader.integer(UInt8.self, "BININT1"))))  // BININT1
        case 0x4D: try push(.int(Int(try reader.integer(UInt16.self, "BININT2"))))  // BININT2
        case 0x8A: try push(.int(try long1(&reader)))  // LONG1
        case 0x47:  // BINFLOAT: big-endian
            try push(.float(Double(bitPattern: UInt64(bigEndian: try reader.integer(UInt64.self, "BINFLOAT")))))
        case 0x58:
            try push(.string(try string(&reader, length: Int(try reader.integer(UInt32.self, "BINUNICODE length")))))
        case 0x8C:
            try push(
                .string(try string(&reader, length: Int(try reader.integer(UInt8.self, "SHORT_BINUNICODE length")))))
        case 0x8D: try push(.string(try string(&reader, length: try reader.count("BINUNICODE8 length"))))
        case 0x29: try push(.tuple([], depth: 1))  // EMPTY_TUPLE
        case 0x74: try push(try tuple(popMark()))  // TUPLE
        case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
            try push(try tuple(pop(Int(opcode) - 0x84)))
        case 0x5D:  // EMPTY_LIST
            objects.lists.append([])
            try push(.list(objects.lists.count - 1))
        case 0x61: try append(pop(1))  // APPEND
        case 0x65: try append(popMark())  // APPENDS
        case 0x7D: try push(newDict())  // EMPTY_DICT
        case 0x73: try setItems(pop(2))  // SETITEM
        case 0x75: try setItems(popMark())  // SETITEMS
        case 0x63:  // GLOBAL
            let module = try line(&reader)
            let name = try line(&reader)
            try push(.global(try global(module: module, name: name)))
        case 0x93:  // STACK_GLOBAL
            let names = try pop(2)
            guard case .string(let module) = names[0], case .string(let name) = names[1] else {
                throw refuse("STACK_GLOBAL of a \(names[0].kind) and a \(names[1].kind), not two strings")
            }
            try push(.global(try global(module: module, name: name)))
        case 0x52:  // REDUCE
            let popped = try pop(2)
            try push(try reduce(popped[0], popped[1]))
        case 0x62: try build(try pop(1)[0])  // BUILD
        case 0x51: try push(.storage(try persistentStorage(try pop(1)[0])))  // BINPERSID
        case 0x68: try push(try memoValue(Int(try reader.integer(UInt8.self, "BINGET index"))))
        case 0x6A: try push(try memoValue(Int(try reader.integer(UInt32.self, "LONG_BINGET index"))))
        case 0x71: try memoize(Int(try reader.integer(UInt8.self, "BINPUT index")))
        case 0x72: try memoize(Int(try reader.integer(UInt32.self, "LONG_BINPUT index")))
        case 0x94: try memoize(memo.count)  // MEMOIZE
        default:
            throw refuse("pickle opcode \(Self.opcodeName(opcode)) is not allowed in a state dict")
        }
    }

    private mutating func push(_ value: PickleValue) throws {
        guard stack.count < Self.maxStack else { throw refuse("pickle stack deeper than \(Self.maxStack)") }
        stack.append(value)
    }

    /// Pops the top `count` values, in stack order, refusing to reach under the last mark.
    private mutating func pop(_ count: Int) throws -> [PickleValue] {
        guard stack.count - count >= (marks.last ?? 0) else { throw refuse("pickle stack underflow") }
        let values = Array(stack.suffix(count))
        stack.removeLast(count)
        return values
    }

    /// Pops everything above the last mark, and the mark.
    private mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw refuse("no mark to pop to") }
        let values = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return values
    }

    private func tuple(_ values: [PickleValue]) throws -> PickleValue {
        let depth = 1 + (values.map(\.depth).max() ?? 0)
        guard depth <= Self.maxTupleDepth else { throw refuse("tuples nested deeper than \(Self.maxTupleDepth)") }
        return .tuple(values, depth: depth)
    }

    mutating func newDict() -> PickleValue {
        objects.dicts.append([])
        return .dict(objects.dicts.count - 1)
    }

    private mutating func countItems(_ count: Int) throws {
        items += count
        guard items <= Self.maxItems else { throw refuse("more than \(Self.maxItems) list and dict items") }
    }

    private mutating func append(_ values: [PickleValue]) throws {
        guard case .list(let index) = stack.last, stack.count > (marks.last ?? 0) else {
            throw refuse("APPEND to a \(stack.last?.kind ?? "empty stack"), not a list")
        }
        try countItems(values.count)
        objects.lists[index] += values
    }

    private mutating func setItems(_ values: [PickleValue]) throws {
        guard case .dict(let index) = stack.last, stack.count > (marks.last ?? 0) else {
            throw refuse("SETITEM on a \(stack.last?.kind ?? "empty stack"), not a dict")
        }
        guard values.count % 2 == 0 else { throw refuse("SETITEMS with an odd number of values") }
        try countItems(values.count / 2)
        for pair in stride(from: 0, to: values.count, by: 2) {
            objects.dicts[index].append((values[pair], values[pair + 1]))
        }
    }

    private mutating func memoize(_ index: Int) throws {
        guard index <= Self.maxMemoIndex else {
            throw refuse("memo index \(index) is over the limit of \(Self.maxMemoIndex)")
        }
        guard let top = stack.last, stack.count > (marks.last ?? 0) else { throw refuse("memoizing an empty stack") }
        memo[index] = top
    }

    private func memoValue(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw refuse("memo index \(index) was never stored") }
        return value
    }

    /// A newline-terminated ASCII line (a `GLOBAL` module or name) of at most 256 bytes.
    private func line(_ reader: inout ByteReader) throws -> String {
        var scalars: [UInt8] = []
        while true {
            let byte = try reader.integer(UInt8.self, "GLOBAL name")
            if byte == 0x0A { break }
            guard scalars.count < 256, (0x20..<0x7F).contains(byte) else {
                throw refuse("GLOBAL name is not a short line of printable ASCII")
            }
            scalars.append(byte)
        }
        return String(decoding: scalars, as: UTF8.self)
    }

    private func string(_ reader: inout ByteReader, length: Int) throws -> String {
        String(decoding: try reader.slice(length, "pickle string"), as: UTF8.self)
    }

    /// A LONG1 integer: a length byte, then that many little-endian two's-complement bytes.
    private func long1(_ reader: inout ByteReader) throws -> Int {
        let length = Int(try reader.integer(UInt8.self, "LONG1 length"))
        guard length <= 8 else { throw refuse("LONG1 integer of \(length) bytes does not fit in 64 bits") }
        let raw = try reader.slice(length, "LONG1 integer")
        guard let last = raw.last else { return 0 }
        var value: UInt64 = last & 0x80 != 0 ? ~0 : 0
        for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
        return Int(truncatingIfNeeded: value)
    }

    private func global(module: String, name: String) throws -> PickleGlobal {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw refuse(
                "global '\(module).\(name)' is not allowed (a state dict needs only \(PickleGlobal.allowedNames.prefix(3).joined(separator: ", ")) and torch storage types)"
            )
        }
        return global
    }

    /// `BUILD`: only an OrderedDict's attribute dict (a state dict's `_metadata`), which is dropped.
    private mutating func build(_ state: PickleValue) throws {
        guard case .dict(let target) = stack.last, stack.count > (marks.last ?? 0),
            objects.orderedDicts.contains(target)
        else {
            throw refuse(
                "BUILD on a \(stack.last?.kind ?? "empty stack"): only an OrderedDict's attributes are accepted")
        }
        guard case .dict = state else { throw refuse("BUILD of an OrderedDict with a \(state.kind) state, not a dict") }
    }

    /// The pickle name of `opcode`, for refusing it.
    static func opcodeName(_ opcode: UInt8) -> String {
        let names: [UInt8: String] = [
            0x69: "INST", 0x6F: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x50: "PERSID", 0x70: "PUT", 0x67: "GET",
            0x49: "INT", 0x4C: "LONG", 0x46: "FLOAT", 0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING",
            0x56: "UNICODE", 0x42: "BINBYTES", 0x43: "SHORT_BINBYTES", 0x8E: "BINBYTES8", 0x96: "BYTEARRAY8",
            0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET",
            0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x8B: "LONG4", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP",
            0x6C: "LIST", 0x64: "DICT",
        ]
        return names[opcode] ?? "0x" + String(opcode, radix: 16)
    }
}
