import Foundation
import Testing
import TestSupport
@testable import AttnCheckpoint

/// Hand-made broken safetensors files and folders, each with its specific error.
struct SafetensorsMalformedTests {
    /// Opens `bytes` as `model.safetensors` and returns the error's description.
    func failure(_ bytes: [UInt8]) throws -> CheckpointError? {
        let folder = try TempFolder()
        let url = try folder.write("model.safetensors", bytes)
        let error = #expect(throws: CheckpointError.self) { try SafetensorsFile(url: url) }
        #expect(error?.file == url.path)
        #expect(error?.description.hasPrefix(url.path + ": ") == true)
        return error
    }

    @Test func truncatedHeaderLength() throws {
        let error = try failure([1, 0, 0])
        #expect(error?.message.contains("truncated header length") == true)
        #expect(error?.offset == 0)
    }

    @Test func headerLengthPastEndOfFile() throws {
        let error = try failure(safetensorsBytes(header: "{}", data: [], declaredLength: 50))
        #expect(
            error?.description.contains("header length 50 runs past the end of the file (10 bytes) at offset 0") == true
        )
    }

    @Test func headerLengthOverLimit() throws {
        let error = try failure(safetensorsBytes(header: "{}", data: [], declaredLength: 200_000_000))
        #expect(error?.message.contains("over the 100 MB limit") == true)
    }

    @Test func badJSON() throws {
        let error = try failure(safetensorsBytes(header: #"{"x": {"dtype": "F32", "#, data: []))
        #expect(error?.message.contains("not valid JSON") == true)
        #expect(error?.offset == 8)
    }

    @Test func entryWithWrongFieldType() throws {
        let error = try failure(
            safetensorsBytes(
                header: #"{"x.weight":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#,
                data: Array(repeating: 0, count: 8)))
        #expect(error?.tensor == "x.weight")
        #expect(error?.description.contains("tensor 'x.weight'") == true)
    }

    @Test func offsetsPastEndOfData() throws {
        let error = try failure(
            safetensorsBytes(
                header: #"{"x.weight":{"dtype":"F32","shape":[2],"data_offsets":[10,99]}}"#,
                data: Array(repeating: 0, count: 80)))
        #expect(
            error?.description.hasSuffix(
                ": tensor 'x.weight': data_offsets [10, 99] past end of data (80 bytes) at offset 8") == true)
    }

    @Test func wrongElementCount() throws {
        let error = try failure(
            safetensorsBytes(
                header: #"{"x.weight":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}"#,
                data: Array(repeating: 0, count: 8)))
        #expect(error?.tensor == "x.weight")
        #expect(error?.message.contains("hold 8 bytes but shape [3] of F16 needs 6") == true)
    }

    @Test func overlappingTensors() throws {
        let error = try failure(
            safetensorsBytes(
                header:
                    #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                data: Array(repeating: 0, count: 12)))
        #expect(error?.tensor == "b")
        #expect(error?.message.contains("overlap tensor 'a'") == true)
    }

    @Test func unknownDType() throws {
        let error = try failure(
            safetensorsBytes(
                header: #"{"q":{"dtype":"Q9","shape":[1],"data_offsets":[0,1]}}"#, data: [0]))
        #expect(error?.description.contains("tensor 'q': unknown dtype 'Q9'") == true)
    }

    @Test func folderErrorsNameThePath() throws {
        let folder = try TempFolder()
        let absent = folder.url.appendingPathComponent("nope")
        let missing = #expect(throws: CheckpointError.self) { try Checkpoint.openFolderOrFail(absent) }
        #expect(missing?.description == "\(absent.path): no such file or folder")

        let noConfig = #expect(throws: CheckpointError.self) { try Checkpoint.openFolderOrFail(folder.url) }
        #expect(noConfig?.description == "\(folder.url.path): missing config.json")

        try folder.write("config.json", text: "{not json")
        let badConfig = #expect(throws: CheckpointError.self) { try Checkpoint.openFolderOrFail(folder.url) }
        #expect(badConfig?.file.hasSuffix("config.json") == true)
        #expect(badConfig?.message.contains("not a valid JSON object") == true)

        try folder.write("config.json", text: "{}")
        let noWeights = #expect(throws: CheckpointError.self) { try Checkpoint.openFolderOrFail(folder.url) }
        #expect(noWeights?.message.hasPrefix("no weights file") == true)

        try folder.write("model.safetensors.index.json", text: #"{"weight_map": 3}"#)
        let badIndex = #expect(throws: CheckpointError.self) { try Checkpoint.openFolderOrFail(folder.url) }
        #expect(badIndex?.description.contains("model.safetensors.index.json: key 'weight_map': bad JSON") == true)
    }
}
