import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// `switchboard admin messages`, `admin lockout` and `admin unlock` against a running daemon.
@Suite("Admin commands", .timeLimit(.minutes(2)))
struct AdminCommandTests {
    static func message(_ id: String, to: String, createdAt: Date) -> MessageRecord {
        MessageRecord(
            id: id, app: "demo", kind: .transactional, to: to, country: "GB", route: "uk", sender: "Demo",
            loggedText: "Your parcel arrives today", encoding: .gsm7, segments: 1, status: .accepted, provider: "default",
            createdAt: createdAt, updatedAt: createdAt
        )
    }

    /// The `id`s and `next` of a page printed by `switchboard admin messages`.
    static func page(_ output: String) throws -> (ids: [String], next: String?) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        return (messages.compactMap { $0["id"] as? String }, object["next"] as? String)
    }

    @Test("admin messages: newest first, --to filters, --limit and --after page through without a gap or a repeat")
    func messagePages() async throws {
        let now = Date()
        let admin = try await AdminDaemon.start { store in
            for (index, to) in ["+447700900111", "+447700900222", "+447700900111"].enumerated() {
                try await store.save(Self.message("msg_0\(index + 1)", to: to, createdAt: now.addingTimeInterval(Double(index - 10))))
            }
        }
        defer { admin.stop() }

        let first = try await admin.run(["admin", "messages", "--limit", "2"])
        #expect(first.status == 0, "\(first.standardError)")
        let firstPage = try Self.page(first.standardOutput)
        #expect(firstPage.ids == ["msg_03", "msg_02"])
        let next = try #require(firstPage.next)
        let second = try await admin.run(["admin", "messages", "--limit", "2", "--after", next])
        let secondPage = try Self.page(second.standardOutput)
        #expect(secondPage.ids == ["msg_01"])
        #expect(secondPage.next == nil)

        let filtered = try await admin.run(["admin", "messages", "--to", "+447700900111"])
        #expect(try Self.page(filtered.standardOutput).ids == ["msg_03", "msg_01"])

        let wrong = try await admin.run(["admin", "messages", "--status", "lost"])
        #expect(wrong.status == 1)
        #expect(wrong.standardError.contains("query parameter 'status' must be one of"), "\(wrong.standardError)")
    }

    @Test("admin lockout shows a lock; admin unlock ends it; a second unlock says none was in force")
    func lockoutAndUnlock() async throws {
        let admin = try await AdminDaemon.start { store in
            let now = Date()
            let user = LoginUser(
                id: "u1", phoneNumber: "+447700900123", email: nil, username: nil, externalUserID: nil, nameJSON: nil, customDataJSON: nil,
                createdAt: now, updatedAt: now
            )
            _ = try await store.createUser(user, in: UserScope(app: "demo"))
            try await store.putChallenge(
                OTPChallenge(
                    id: "c1", app: "demo", userID: "u1", codeHash: [1], requestID: "r", sentTo: "+447700900123", approvalDataJSON: nil,
                    createdAt: now, expiresAt: now.addingTimeInterval(300)
                )
            )
            _ = try await store.attempt(app: "demo", userID: "u1", now: now, policy: LockoutPolicy(maxFailures: 1, lockout: .seconds(3600))) { _ in false }
        }
        defer { admin.stop() }

        let shown = try await admin.run(["admin", "lockout", "demo", "+447700900123"])
        #expect(shown.status == 0, "\(shown.standardError)")
        #expect(shown.standardOutput.contains(#""locked":true"#), "\(shown.standardOutput)")
        #expect(shown.standardOutput.contains(#""user_id":"u1""#), "\(shown.standardOutput)")

        let unlocked = try await admin.run(["admin", "unlock", "demo", "+447700900123"])
        #expect(unlocked.status == 0, "\(unlocked.standardError)")
        #expect(unlocked.standardOutput.contains(#""unlocked":true"#), "\(unlocked.standardOutput)")
        let after = try await admin.run(["admin", "lockout", "demo", "+447700900123"])
        #expect(after.standardOutput.contains(#""locked":false"#), "\(after.standardOutput)")
        let again = try await admin.run(["admin", "unlock", "demo", "+447700900123"])
        #expect(again.standardOutput.contains(#""unlocked":false"#), "\(again.standardOutput)")

        let unknown = try await admin.run(["admin", "lockout", "demo", "+447700900999"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("app 'demo' has no user with this phone number"), "\(unknown.standardError)")
    }
}
