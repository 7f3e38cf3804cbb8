import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `server.watch_config: true` in a running daemon: an editor's save-as-rename and an in-place
/// write of `config.yaml` each reload it, logged with the trigger `file change`.
@Suite("Watch mode in the daemon", .timeLimit(.minutes(2)))
struct WatchModeDaemonTests {
    static func reloads(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains("configuration reloaded") && $0.contains("sb.reload.trigger=file change") }
    }

    @Test("a rename over config.yaml reloads it; so does an in-place write")
    func renameAndInPlace() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let shipped = try String(contentsOfFile: switchboard.configPath, encoding: .utf8)
        let original = shipped.replacingOccurrences(of: "server:\n", with: "server:\n  watch_config: true\n")
        #expect(original != shipped)
        try switchboard.write(original, to: "config.yaml")
        let daemon = try switchboard.start(["serve"])
        defer { daemon.signal(SIGTERM) }
        let listening = await eventually(within: .seconds(60)) { daemon.standardError.text.contains("switchboard is listening") }
        try #require(listening, "stderr: \(daemon.standardError.text)")

        // Save-as-rename: `write` puts a new file in place of the old one.
        try switchboard.write(original.replacingOccurrences(of: "  - name: uk\n", with: "  - name: united-kingdom\n"), to: "config.yaml")
        let renamed = await eventually(within: .seconds(30)) { Self.reloads(daemon.standardError.text).count == 1 }
        #expect(renamed, "stderr: \(daemon.standardError.text)")
        #expect(Self.reloads(daemon.standardError.text).first?.contains("routes: added united-kingdom; removed uk") == true)

        // In place: the same file, appended to.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: switchboard.configPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nretention:\n  inbox: 3d\n".utf8))
        try handle.close()
        let written = await eventually(within: .seconds(30)) { Self.reloads(daemon.standardError.text).count == 2 }
        #expect(written, "stderr: \(daemon.standardError.text)")
        #expect(Self.reloads(daemon.standardError.text).last?.contains("changed retention") == true, "stderr: \(daemon.standardError.text)")
    }
}
