import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the tests start programs: what the child gets, and what the test learns of its end.
@Suite("Child processes of the tests", .timeLimit(.minutes(3)))
struct ChildProcessTests {
    @Test("the exit status, and each output apart, read to its end")
    func statusAndOutputs() async throws {
        let child = try ChildProcess("sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(try await child.termination() == .exited(3))
        #expect(await child.outputsEnded(within: .seconds(10)))
        #expect(child.standardOutput.text == "out\n")
        #expect(child.standardError.text == "err\n")
    }

    @Test("merged outputs keep the order they were written in")
    func mergedOutputs() async throws {
        let child = try ChildProcess("sh", ["-c", "echo one; echo two >&2; echo three"], outputs: .merged)
        #expect(try await child.termination() == .exited(0))
        #expect(await child.outputsEnded(within: .seconds(10)))
        #expect(child.standardOutput.text == "one\ntwo\nthree\n")
    }

    @Test("a signal ends it, and is told apart from an exit status")
    func signalled() async throws {
        let child = try ChildProcess("sleep", ["30"])
        child.signal(SIGTERM)
        #expect(try await child.termination() == .signalled(SIGTERM))
    }

    /// A descriptor of the test process left open in a child would keep another test's pipe or
    /// connection from ever ending.
    @Test("the child has its three standard descriptors and none of the test process's")
    func noDescriptorIsInherited() async throws {
        var ends: [Int32] = [0, 0]
        // A plain pipe: not closed on exec, so only the start's own closing keeps it out.
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let child = try ChildProcess("sh", ["-c", "ls /proc/$$/fd"])
        #expect(try await child.termination() == .exited(0))
        #expect(await child.outputsEnded(within: .seconds(10)))
        #expect(child.standardOutput.text.split(separator: "\n") == ["0", "1", "2"])
    }

    @Test("it starts in the folder it is given, with the input empty")
    func folderAndInput() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = try ChildProcess("sh", ["-c", "pwd; cat"], in: folder.path)
        #expect(try await child.termination() == .exited(0))
        #expect(await child.outputsEnded(within: .seconds(10)))
        #expect(child.standardOutput.text == folder.path + "\n")
    }

    @Test("a program that is not there is an error naming it, not a child")
    func missingProgram() {
        #expect(throws: ChildProcessError.self) { try ChildProcess("/nonexistent/switchboard-test-program", []) }
    }

    @Test("many started at once each get their own outputs")
    func manyAtOnce() async throws {
        let outputs = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let child = try ChildProcess("sh", ["-c", "echo \(index)"])
                    _ = try await child.termination()
                    _ = await child.outputsEnded(within: .seconds(10))
                    return (index, child.standardOutput.text)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(outputs.count == 64)
        #expect(outputs.allSatisfy { $0.value == "\($0.key)\n" })
    }
}
