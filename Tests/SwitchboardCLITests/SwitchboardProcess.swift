import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `switchboard` executable, run as a user runs it: a separate process with its own
/// working folder and configuration, judged by its exit status and what it writes.
struct SwitchboardProcess {
    /// A finished run.
    struct Finished: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The repository this file lives in; the shipped `config.yaml` and `providers` come from it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `switchboard` from the same build products folder as this test binary, or `.build/debug` of
    /// the repository. A missing executable fails the test: skipping would hide an untested CLI.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let testBinary = Bundle.main.executableURL {
            candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent("switchboard"))
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/switchboard"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MissingExecutable(looked: candidates.map(\.path))
        }
        return found
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var looked: [String]
        var description: String { "no built switchboard executable at \(looked.joined(separator: " or ")); run `swift build --build-tests` first" }
    }

    /// A fresh folder holding the shipped configuration, with its database inside the folder and
    /// the server on an ephemeral port, so parallel tests never share a file or a port.
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shipped = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("config.yaml"), encoding: .utf8)
        let database = "sqlite: ./data/switchboard.sqlite"
        let listen = "listen: 127.0.0.1:8080"
        // If the shipped file changes these lines, the rewrite below would silently leave the test
        // on the repository's database and port 8080: fail instead.
        guard shipped.contains(database), shipped.contains(listen) else {
            throw ShippedConfigChanged()
        }
        let local = shipped
            .replacingOccurrences(of: database, with: "sqlite: \(folder.path)/data/switchboard.sqlite")
            .replacingOccurrences(of: listen, with: "listen: 127.0.0.1:0")
        try write(local, to: "config.yaml")
    }

    struct ShippedConfigChanged: Error {}

    var configPath: String { folder.appendingPathComponent("config.yaml").path }
    var providersPath: String { Self.repositoryRoot.appendingPathComponent("providers").path }

    func write(_ text: String, to name: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// `arguments` with `--config` and `--providers` for this folder appended.
    func configured(_ arguments: [String], config: String? = nil) -> [String] {
        arguments + ["--config", config ?? configPath, "--providers", providersPath]
    }

    /// Runs `switchboard ARGUMENTS --config … --providers …` to its end.
    func run(_ arguments: [String], config: String? = nil, within limit: Duration = .seconds(60)) async throws -> Finished {
        let running = try start(arguments, config: config)
        guard let status = await running.exitStatus(within: limit) else {
            running.forceStop()
            throw StillRunning(arguments: arguments, output: running.standardOutput.text, errors: running.standardError.text)
        }
        // The status comes before the pipes close; the last bytes follow shortly after.
        _ = await running.bothOutputsEnded(within: .seconds(10))
        return Finished(status: status, standardOutput: running.standardOutput.text, standardError: running.standardError.text)
    }

    /// Starts `switchboard ARGUMENTS --config … --providers …` and returns at once.
    func start(_ arguments: [String], config: String? = nil) throws -> RunningSwitchboard {
        try RunningSwitchboard(executable: Self.executable(), arguments: configured(arguments, config: config), folder: folder)
    }

    struct StillRunning: Error, CustomStringConvertible {
        var arguments: [String]
        var output: String
        var errors: String
        var description: String { "switchboard \(arguments.joined(separator: " ")) did not finish in time; stdout: \(output); stderr: \(errors)" }
    }

    func removeFolder() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A started `switchboard` process.
final class RunningSwitchboard: Sendable {
    private let process: ChildProcess

    init(executable: URL, arguments: [String], folder: URL) throws {
        process = try ChildProcess(executable.path, arguments, in: folder.path)
    }

    var standardOutput: CollectedOutput { process.standardOutput }
    var standardError: CollectedOutput { process.standardError }
    var processIdentifier: Int32 { process.processIdentifier }

    /// The exit status (or the number of the signal that ended it), or `nil` if it still runs at the deadline.
    func exitStatus(within limit: Duration) async -> Int32? {
        await process.termination(within: limit)?.status
    }

    var endedBySignal: Bool {
        if case .signalled = process.ended { true } else { false }
    }

    func bothOutputsEnded(within limit: Duration) async -> Bool {
        await process.outputsEnded(within: limit)
    }

    func signal(_ number: Int32) {
        process.signal(number)
    }

    /// Ends a process a test gave up on, so no test leaves one behind.
    func forceStop() {
        process.signal(SIGKILL)
    }
}
