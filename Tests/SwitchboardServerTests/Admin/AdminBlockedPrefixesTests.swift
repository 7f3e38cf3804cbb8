import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// `GET /admin/blocked-prefixes` lists what the velocity rule blocked; `DELETE` clears a prefix.
@Suite("Admin API: blocked prefixes", .timeLimit(.minutes(3)))
struct AdminBlockedPrefixesTests {
    @Test func listsABlockAndClearsIt() async throws {
        let folder = try ConfigFolder(AdminAPITests.yaml)
        defer { folder.remove() }
        let login = MemoryLoginStore()
        var rule = PrefixVelocityRule()
        rule.maxNumbers = 1
        let now = Date()
        _ = await login.notePrefixSend(app: "demo", prefix: "4477009", number: "+447700900001", now: now, rule: rule)
        let blocked = await login.notePrefixSend(app: "demo", prefix: "4477009", number: "+447700900002", now: now, rule: rule)
        #expect(blocked != .allowed)

        try await folder.withApp(login: login) { client, _ in
            let listed = try await client.execute(uri: "/admin/blocked-prefixes", method: .get, headers: ConfigFolder.adminAuth)
            #expect(listed.status == .ok)
            let blocks = try #require(try jsonObject(listed.body)["blocked_prefixes"] as? [[String: Any]])
            #expect(blocks.count == 1)
            #expect(blocks.first?["app"] as? String == "demo")
            #expect(blocks.first?["prefix"] as? String == "+4477009")
            #expect(blocks.first?["numbers"] as? Int == 2)
            #expect(blocks.first?["blocked_until"] is String)

            let wrong = try await client.execute(uri: "/admin/blocked-prefixes/44-77", method: .delete, headers: ConfigFolder.adminAuth)
            #expect(wrong.status == .badRequest)
            #expect((try jsonObject(wrong.body)["error"] as? [String: Any])?["code"] as? String == "invalid_prefix")

            let cleared = try await client.execute(uri: "/admin/blocked-prefixes/%2B4477009", method: .delete, headers: ConfigFolder.adminAuth)
            #expect(cleared.status == .ok)
            #expect(try jsonObject(cleared.body)["unblocked_apps"] as? [String] == ["demo"])
            let after = try await client.execute(uri: "/admin/blocked-prefixes", method: .get, headers: ConfigFolder.adminAuth)
            #expect((try jsonObject(after.body)["blocked_prefixes"] as? [[String: Any]])?.isEmpty == true)

            let anonymous = try await client.execute(uri: "/admin/blocked-prefixes", method: .get, headers: [:])
            #expect(anonymous.status == .unauthorized)
        }
        // Clearing also forgot the numbers: the prefix counts afresh.
        #expect(await login.notePrefixSend(app: "demo", prefix: "4477009", number: "+447700900003", now: now, rule: rule) == .allowed)
    }
}
