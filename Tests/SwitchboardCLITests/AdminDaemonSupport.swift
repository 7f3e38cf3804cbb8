import Foundation
import SwitchboardStore
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A daemon started from the shipped configuration with an admin token (and `extra` appended),
/// on a store the test filled first; the admin options the commands need to reach it.
struct AdminDaemon {
    static let token = "admin-token-0123456789"

    let switchboard: SwitchboardProcess
    let daemon: RunningSwitchboard
    /// `--url` and `--token` for `switchboard admin ...` and `switchboard purge`.
    let options: [String]

    /// - Parameters:
    ///   - extra: YAML appended to the configuration.
    ///   - seed: Fills the daemon's SQLite file before it starts.
    static func start(extra: String = "", seed: (SQLiteStore) async throws -> Void) async throws -> AdminDaemon {
        let switchboard = try SwitchboardProcess()
        let shipped = try String(contentsOfFile: switchboard.configPath, encoding: .utf8)
        try switchboard.write(shipped + "\nadmin:\n  tokens: [\(token)]\n" + extra, to: "config.yaml")
        let store = try await SQLiteStore.open(
            path: switchboard.folder.appendingPathComponent("data/switchboard.sqlite").path,
            logger: TestPostgres.quiet
        )
        do {
            try await store.migrate()
            try await seed(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        let daemon = try switchboard.start(["serve"])
        let listening = await eventually(within: .seconds(60)) { daemon.standardError.text.contains("switchboard is listening") }
        guard listening, let port = CommandLineTests.listeningPort(in: daemon.standardError.text) else {
            daemon.signal(SIGTERM)
            Issue.record("the daemon did not start; stderr: \(daemon.standardError.text)")
            throw CancellationError()
        }
        return AdminDaemon(switchboard: switchboard, daemon: daemon, options: ["--url", "http://127.0.0.1:\(port)", "--token", token])
    }

    func stop() {
        daemon.signal(SIGTERM)
        switchboard.removeFolder()
    }

    /// Runs `switchboard ARGUMENTS --url … --token …`.
    func run(_ arguments: [String]) async throws -> SwitchboardProcess.Finished {
        try await switchboard.run(arguments + options)
    }
}
