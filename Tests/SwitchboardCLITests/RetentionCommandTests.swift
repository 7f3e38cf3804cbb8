import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// `switchboard purge [--dry-run]` against a running daemon whose store holds aged-out records.
@Suite("Purge command", .timeLimit(.minutes(2)))
struct RetentionCommandTests {
    static func message(_ id: String, createdAt: Date, status: MessageStatus) -> MessageRecord {
        MessageRecord(
            id: id, app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "uk", sender: "Demo",
            loggedText: "Your parcel arrives today", encoding: .gsm7, segments: 1, status: status, provider: "default",
            createdAt: createdAt, updatedAt: createdAt
        )
    }

    @Test("--dry-run says per kind what would go and deletes nothing; purge deletes it and says so; a recent message stays")
    func dryRunThenPurge() async throws {
        let longAgo = Date().addingTimeInterval(-200 * 86_400)
        let admin = try await AdminDaemon.start(extra: "retention: { inbox: forever }\n") { store in
            try await store.save(Self.message("msg_aged_1", createdAt: longAgo, status: .accepted))
            try await store.save(Self.message("msg_aged_2", createdAt: longAgo, status: .failed))
            try await store.save(Self.message("msg_recent", createdAt: Date().addingTimeInterval(-60), status: .accepted))
        }
        defer { admin.stop() }

        let dryRun = try await admin.run(["purge", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.standardError)")
        let lines = dryRun.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(dryRun.standardOutput)")
        #expect(lines.first?.hasPrefix("messages: 2 would be deleted (kept 90d: ended before ") == true, "\(dryRun.standardOutput)")
        #expect(lines.contains("inbox: kept forever"), "\(dryRun.standardOutput)")
        #expect(lines.contains { $0.hasPrefix("sessions: 0 would be deleted (kept 30d: ") }, "\(dryRun.standardOutput)")
        #expect(lines.contains { $0.hasPrefix("challenges: 0 would be deleted (kept 1d: ") }, "\(dryRun.standardOutput)")

        let purged = try await admin.run(["purge"])
        #expect(purged.status == 0, "\(purged.standardError)")
        #expect(purged.standardOutput.hasPrefix("messages: 2 deleted (kept 90d: ended before "), "\(purged.standardOutput)")

        let left = try await admin.run(["admin", "messages"])
        #expect(left.status == 0, "\(left.standardError)")
        #expect(!left.standardOutput.contains("msg_aged_1") && !left.standardOutput.contains("msg_aged_2"), "\(left.standardOutput)")
        #expect(left.standardOutput.contains(#""id":"msg_recent""#), "\(left.standardOutput)")
        #expect(admin.daemon.standardError.text.contains("purge run by an operator"), "\(admin.daemon.standardError.text)")
    }

    @Test("a wrong admin token: exit 1 with the daemon's reason, nothing deleted")
    func wrongToken() async throws {
        let admin = try await AdminDaemon.start { store in
            try await store.save(Self.message("msg_aged", createdAt: Date().addingTimeInterval(-200 * 86_400), status: .accepted))
        }
        defer { admin.stop() }
        let url = try #require(admin.options.first { $0.hasPrefix("http://") })
        let refused = try await admin.switchboard.run(["purge", "--url", url, "--token", "not-the-admin-token-at-all"])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.isEmpty)
        #expect(refused.standardError.contains("admin token"), "\(refused.standardError)")
        let counted = try await admin.run(["purge", "--dry-run"])
        #expect(counted.standardOutput.hasPrefix("messages: 1 would be deleted"), "\(counted.standardOutput)")
    }

    @Test("no daemon at the address: exit 1, saying the admin API cannot be reached and what to check")
    func noDaemon() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let failed = try await withRefusingAddress { url in
            try await switchboard.run(["purge", "--dry-run", "--url", url, "--token", AdminDaemon.token])
        }
        #expect(failed.status == 1)
        #expect(failed.standardOutput.isEmpty)
        #expect(failed.standardError.contains("cannot reach the admin API at "), "\(failed.standardError)")
        #expect(failed.standardError.contains("is the daemon running"), "\(failed.standardError)")
    }
}
