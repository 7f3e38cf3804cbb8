import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// The admin API's views of stored state: the message log and lockouts.
@Suite("Admin API: messages and lockouts", .timeLimit(.minutes(3)))
struct AdminRecordsTests {
    @Test("GET /admin/messages: newest first, filtered, a page at a time")
    func messagePages() async throws {
        let folder = try ConfigFolder(AdminAPITests.yaml)
        defer { folder.remove() }
        try await folder.withApp { client, _ in
            var sent: [String] = []
            for number in ["+447700900111", "+447700900222", "+447700900111"] {
                let answer = try await client.sendText(to: number)
                sent.append(try #require(try jsonObject(answer.body)["id"] as? String))
            }
            let first = try await client.execute(uri: "/admin/messages?limit=2", method: .get, headers: ConfigFolder.adminAuth)
            #expect(first.status == .ok)
            let firstPage = try jsonObject(first.body)
            let firstMessages = try #require(firstPage["messages"] as? [[String: Any]])
            #expect(firstMessages.map { $0["id"] as? String } == [sent[2], sent[1]])
            let next = try #require(firstPage["next"] as? String)
            let second = try await client.execute(uri: "/admin/messages?limit=2&after=\(next)", method: .get, headers: ConfigFolder.adminAuth)
            let secondPage = try jsonObject(second.body)
            #expect((secondPage["messages"] as? [[String: Any]])?.map { $0["id"] as? String } == [sent[0]])
            #expect(secondPage["next"] == nil)

            let filtered = try await client.execute(uri: "/admin/messages?to=%2B447700900111&provider=alpha&status=accepted", method: .get, headers: ConfigFolder.adminAuth)
            #expect((try jsonObject(filtered.body)["messages"] as? [[String: Any]])?.map { $0["id"] as? String } == [sent[2], sent[0]])

            let wrong = try await client.execute(uri: "/admin/messages?status=lost", method: .get, headers: ConfigFolder.adminAuth)
            #expect(wrong.status == .badRequest)
            #expect((try jsonObject(wrong.body)["error"] as? [String: Any])?["code"] as? String == "invalid_parameter")
            let anonymous = try await client.execute(uri: "/admin/messages", method: .get, headers: [:])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("GET shows a lockout; DELETE ends it, and the user's next code is accepted")
    func unlockEndsALockout() async throws {
        let folder = try ConfigFolder(AdminAPITests.yaml)
        defer { folder.remove() }
        let login = MemoryLoginStore()
        let now = Date()
        let user = LoginUser(
            id: "u1", phoneNumber: "+447700900123", email: nil, username: nil, externalUserID: nil, nameJSON: nil, customDataJSON: nil,
            createdAt: now, updatedAt: now
        )
        _ = await login.createUser(user, in: UserScope(app: "demo"))
        let challenge = { @Sendable (id: String) in
            OTPChallenge(
                id: id, app: "demo", userID: "u1", codeHash: [1], requestID: "r", sentTo: "+447700900123", approvalDataJSON: nil,
                createdAt: now, expiresAt: now.addingTimeInterval(300)
            )
        }
        let policy = LockoutPolicy(maxFailures: 1, lockout: .seconds(900))
        await login.putChallenge(challenge("c1"))
        _ = try await login.attempt(app: "demo", userID: "u1", now: now, policy: policy) { _ in false }

        try await folder.withApp(login: login) { client, _ in
            let path = "/admin/apps/demo/lockouts/+447700900123"
            let shown = try await client.execute(uri: path, method: .get, headers: ConfigFolder.adminAuth)
            #expect(shown.status == .ok)
            let lock = try jsonObject(shown.body)
            #expect(lock["locked"] as? Bool == true)
            #expect(lock["user_id"] as? String == "u1")

            let deleted = try await client.execute(uri: path, method: .delete, headers: ConfigFolder.adminAuth)
            #expect(deleted.status == .ok)
            #expect(try jsonObject(deleted.body)["unlocked"] as? Bool == true)
            let after = try await client.execute(uri: path, method: .get, headers: ConfigFolder.adminAuth)
            #expect(try jsonObject(after.body)["locked"] as? Bool == false)

            await login.putChallenge(challenge("c2"))
            let outcome = try await login.attempt(app: "demo", userID: "u1", now: Date(), policy: policy) { _ in true }
            let accepted = if case .accepted = outcome { true } else { false }
            #expect(accepted, "\(outcome)")

            let unknown = try await client.execute(uri: "/admin/apps/demo/lockouts/+447700900999", method: .get, headers: ConfigFolder.adminAuth)
            #expect(unknown.status == .notFound)
            let noApp = try await client.execute(uri: "/admin/apps/nope/lockouts/+447700900123", method: .get, headers: ConfigFolder.adminAuth)
            #expect(noApp.status == .notFound)
        }
    }
}
