import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Retention through the admin API: what is kept and for how long in `/admin/config`, and
/// `POST /admin/purge` (with `dry_run=true` only counting), with the configuration in force.
@Suite("Admin API: retention", .timeLimit(.minutes(3)))
struct AdminRetentionTests {
    /// The daemon's own passes wait a day: only the requests of the test purge.
    static func yaml(messages: String) -> String {
        AdminAPITests.yaml + "\nretention: { messages: \(messages), inbox: forever, every: 1d }\n"
    }

    static func message(_ id: String, createdAt: Date, status: MessageStatus = .accepted) -> MessageRecord {
        MessageRecord(
            id: id, app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "everyone", sender: "Demo",
            loggedText: "Your parcel arrives today", encoding: .gsm7, segments: 1, status: status, provider: "alpha",
            createdAt: createdAt, updatedAt: createdAt
        )
    }

    static func purge(_ client: any TestClientProtocol, query: String = "") async throws -> TestResponse {
        try await client.execute(uri: "/admin/purge" + query, method: .post, headers: ConfigFolder.adminAuth)
    }

    /// The `kinds` entry of one kind in a purge answer.
    static func kind(_ name: String, in response: TestResponse) throws -> [String: Any] {
        let kinds = try #require(try jsonObject(response.body)["kinds"] as? [[String: Any]])
        return try #require(kinds.first { $0["kind"] as? String == name })
    }

    @Test("/admin/config shows each window; a dry run counts, a purge deletes the messages older than the window")
    func dryRunThenPurge() async throws {
        let folder = try ConfigFolder(Self.yaml(messages: "1h"))
        defer { folder.remove() }
        let clock = ManualClock()
        let store = MemoryStore()
        let twoHoursAgo = clock.date.addingTimeInterval(-7200)
        for index in 1...3 { await store.save(Self.message("msg_old_\(index)", createdAt: twoHoursAgo)) }
        await store.save(Self.message("msg_new", createdAt: clock.date.addingTimeInterval(-60)))

        try await folder.withApp(store: store, clock: clock) { client, store in
            let shown = try await client.execute(uri: "/admin/config", method: .get, headers: ConfigFolder.adminAuth)
            let retention = try #require((try jsonObject(shown.body)["config"] as? [String: Any])?["retention"] as? [String: Any])
            #expect(retention["messages"] as? String == "1h")
            #expect(retention["inbox"] as? String == "forever")
            #expect(retention["sessions"] as? String == "30d")
            #expect(retention["challenges"] as? String == "1d")
            #expect(retention["batch"] as? Int == 50)
            #expect(retention["pause"] as? String == "10ms")

            let dryRun = try await Self.purge(client, query: "?dry_run=true")
            #expect(dryRun.status == .ok)
            #expect(try jsonObject(dryRun.body)["dry_run"] as? Bool == true)
            let counted = try Self.kind("messages", in: dryRun)
            #expect(counted["rows"] as? Int == 3)
            #expect(counted["kept_for"] as? String == "1h")
            #expect(counted["cutoff"] as? String != nil)
            let inbox = try Self.kind("inbox", in: dryRun)
            #expect(inbox["kept_for"] as? String == "forever")
            #expect(inbox["cutoff"] == nil)
            #expect(await store.message(id: "msg_old_1") != nil)

            let purged = try await Self.purge(client)
            #expect(purged.status == .ok)
            #expect(try Self.kind("messages", in: purged)["rows"] as? Int == 3)
            for id in ["msg_old_1", "msg_old_2", "msg_old_3"] {
                #expect(await store.message(id: id) == nil)
            }
            #expect(await store.message(id: "msg_new") != nil)
            #expect(try Self.kind("messages", in: try await Self.purge(client, query: "?dry_run=true"))["rows"] as? Int == 0)
        }
    }

    @Test("a reload's new window applies to the next purge")
    func reloadedWindow() async throws {
        let folder = try ConfigFolder(Self.yaml(messages: "3h"))
        defer { folder.remove() }
        let clock = ManualClock()
        let store = MemoryStore()
        await store.save(Self.message("msg_two_hours", createdAt: clock.date.addingTimeInterval(-7200)))
        try await folder.withApp(store: store, clock: clock) { client, store in
            #expect(try Self.kind("messages", in: try await Self.purge(client))["rows"] as? Int == 0)
            try folder.write(Self.yaml(messages: "1h"))
            let reloaded = try await client.reload()
            #expect(reloaded.status == .ok)
            #expect(try jsonObject(reloaded.body)["summary"] as? String == "changed retention")
            #expect(try Self.kind("messages", in: try await Self.purge(client))["rows"] as? Int == 1)
            #expect(await store.message(id: "msg_two_hours") == nil)
        }
    }

    @Test("on SQLite, aged-out rows disappear while sends go on: every send answered 201 and kept, every old row gone")
    func purgeWhileSending() async throws {
        let folder = try ConfigFolder(Self.yaml(messages: "1h").replacingOccurrences(of: "every: 1d", with: "every: 1d, batch: 50, pause: 0s"))
        defer { folder.remove() }
        let store = try await SQLiteStore.open(path: folder.folder.appendingPathComponent("switchboard.sqlite").path, logger: Logger(label: "test"))
        try await store.migrate()
        let twoHoursAgo = Date().addingTimeInterval(-7200)
        let aged = 1_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<aged {
                group.addTask { try await store.save(Self.message(String(format: "msg_aged_%05d", index), createdAt: twoHoursAgo)) }
            }
            try await group.waitForAll()
        }
        let loaded = try folder.files.load()
        var dependencies = ServerDependencies(
            config: loaded.config, messages: store, inbox: store, services: [store], providerTypes: loaded.catalog
        )
        dependencies.loaded = loaded
        dependencies.configurationFiles = folder.files
        let app = buildApplication(dependencies, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            async let purged = Self.purge(client)
            var sent: [String] = []
            for _ in 0..<40 {
                let answer = try await client.sendText()
                #expect(answer.status == .created)
                sent.append(try #require(try jsonObject(answer.body)["id"] as? String))
            }
            let purge = try await purged
            #expect(purge.status == .ok)
            #expect(try Self.kind("messages", in: purge)["rows"] as? Int == aged)
            for id in sent {
                #expect(try await store.message(id: id)?.status == .accepted)
            }
            #expect(try await store.countPurgeable(.messages, endedBefore: Date().addingTimeInterval(-3600)) == 0)
            #expect(try await store.recentMessages(to: nil, limit: 2_000).count == sent.count)
        }
    }

    @Test("dry_run other than true or false: 400 invalid_parameter, nothing deleted; no admin token: 401")
    func refusals() async throws {
        let folder = try ConfigFolder(Self.yaml(messages: "1h"))
        defer { folder.remove() }
        let clock = ManualClock()
        let store = MemoryStore()
        await store.save(Self.message("msg_old", createdAt: clock.date.addingTimeInterval(-7200)))
        try await folder.withApp(store: store, clock: clock) { client, store in
            let wrong = try await Self.purge(client, query: "?dry_run=yes")
            #expect(wrong.status == .badRequest)
            let error = try #require(try jsonObject(wrong.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid_parameter")
            #expect((error["message"] as? String)?.contains("'dry_run' must be true or false") == true)
            let anonymous = try await client.execute(uri: "/admin/purge", method: .post, headers: [:])
            #expect(anonymous.status == .unauthorized)
            let apiKey = try await client.execute(uri: "/admin/purge", method: .post, headers: [.authorization: "Bearer test-api-key-1"])
            #expect(apiKey.status == .unauthorized)
            #expect(await store.message(id: "msg_old") != nil)
        }
    }
}
