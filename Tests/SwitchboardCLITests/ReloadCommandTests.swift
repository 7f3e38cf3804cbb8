import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardTestSupport
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

    @Test("with admin.listen the admin API answers on its own address only; `switchboard admin` reads it from the configuration")
    func adminOnItsOwnAddress() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let original = try String(contentsOfFile: switchboard.configPath, encoding: .utf8)
        try switchboard.write(original + "\nadmin:\n  tokens: [\(Self.token)]\n  listen: 127.0.0.1:0\n", to: "config.yaml")
        let daemon = try switchboard.start(["serve"])
        defer { daemon.signal(SIGTERM) }
        let listening = await eventually(within: .seconds(60)) {
            daemon.standardError.text.contains("switchboard is listening") && daemon.standardError.text.contains("switchboard admin API is listening")
        }
        try #require(listening, "stderr: \(daemon.standardError.text)")
        let mainPort = try #require(CommandLineTests.listeningPort(in: daemon.standardError.text))
        let adminLine = try #require(daemon.standardError.text.split(separator: "\n").first { $0.contains("switchboard admin API is listening") })
        let adminPort = try #require(CommandLineTests.listeningPort(in: String(adminLine).replacingOccurrences(of: "admin API ", with: "")))
        #expect(adminPort != mainPort)

        let onAdmin = try await switchboard.run(["admin", "providers", "--url", "http://127.0.0.1:\(adminPort)", "--token", Self.token])
        #expect(onAdmin.status == 0, "\(onAdmin.standardError)")
        #expect(onAdmin.standardOutput.contains(#""name":"default""#), "\(onAdmin.standardOutput)")
        let onMain = try await switchboard.run(["admin", "providers", "--url", "http://127.0.0.1:\(mainPort)", "--token", Self.token])
        #expect(onMain.status == 1)
        #expect(onMain.standardError.contains("HTTP 404"), "\(onMain.standardError)")
        // The metrics and the console page go with the admin API.
        for path in ["/metrics", "/console"] {
            #expect(try await Self.status(port: adminPort, path: path, token: Self.token) == 200, "\(path) on the admin address")
            #expect(try await Self.status(port: mainPort, path: path, token: Self.token) == 404, "\(path) on the main address")
        }
    }

    static func status(port: Int, path: String, token: String) async throws -> Int? {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.timeoutInterval = 10
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode
    }
}
