import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `switchboard reload` and `SIGHUP` against a running daemon.
@Suite("Reload command", .timeLimit(.minutes(2)))
struct ReloadCommandTests {
    static let token = "admin-token-0123456789"

    @Test("a broken edit: reload exits 1 with FILE:LINE:COLUMN and the daemon keeps serving; a valid one applies; SIGHUP too")
    func reloadAndSignal() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let original = try String(contentsOfFile: switchboard.configPath, encoding: .utf8) + "\nadmin:\n  tokens: [\(Self.token)]\n"
        try switchboard.write(original, to: "config.yaml")
        let daemon = try switchboard.start(["serve"])
        defer { daemon.signal(SIGTERM) }
        let listening = await eventually(within: .seconds(60)) { daemon.standardError.text.contains("switchboard is listening") }
        try #require(listening, "stderr: \(daemon.standardError.text)")
        let port = try #require(CommandLineTests.listeningPort(in: daemon.standardError.text))
        let admin = ["reload", "--url", "http://127.0.0.1:\(port)", "--token", Self.token]

        // Line count of the file, so the appended key's line is known.
        let brokenLine = original.split(separator: "\n", omittingEmptySubsequences: false).count
        try switchboard.write(original + "bogus_key: 1\n", to: "config.yaml")
        let refused = try await switchboard.run(admin)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("\(switchboard.configPath):\(brokenLine):1: unknown key 'bogus_key'"), "\(refused.standardError)")

        try switchboard.write(original.replacingOccurrences(of: "  - name: uk\n", with: "  - name: united-kingdom\n"), to: "config.yaml")
        let applied = try await switchboard.run(admin)
        #expect(applied.status == 0, "\(applied.standardError)")
        #expect(applied.standardOutput.contains(#""summary":"routes: added united-kingdom; removed uk""#), "\(applied.standardOutput)")

        try switchboard.write(original, to: "config.yaml")
        daemon.signal(SIGHUP)
        let reloaded = await eventually(within: .seconds(30)) {
            daemon.standardError.text.contains("sb.reload.trigger=SIGHUP")
        }
        #expect(reloaded, "stderr: \(daemon.standardError.text)")
        #expect(daemon.standardError.text.contains("routes: added uk; removed united-kingdom"))
    }
}
