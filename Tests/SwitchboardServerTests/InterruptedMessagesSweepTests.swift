import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Messages a stopped daemon left `pending` are closed as `interrupted` when the next one starts.
@Suite("Interrupted messages at start-up", .timeLimit(.minutes(3)))
struct InterruptedMessagesSweepTests {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          default: { type: default }
        routes:
          - { name: all, sender: "+14155550100", providers: [default] }
        delivery: { deadline: 10s }
        """

    static func pending(_ id: String, createdAt: Date) -> MessageRecord {
        MessageRecord(
            id: id, app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "all", sender: "+14155550100",
            loggedText: "Your parcel arrives today", encoding: .gsm7, segments: 1, status: .pending, createdAt: createdAt, updatedAt: createdAt
        )
    }

    @Test("the daemon's start closes a message a crash left pending, with a note and one log line; a fresh pending one is left")
    func daemonStart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-sweep-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try await SQLiteStore.open(path: folder + "/switchboard.sqlite", logger: Logger(label: "test"))
        try await store.migrate()
        // On a clock that stands still, "within the deadline" cannot turn into "past it" on a slow runner.
        let clock = ManualClock()
        let beforeStart = clock.date
        try await store.save(Self.pending("msg_crashed", createdAt: beforeStart.addingTimeInterval(-3600)))
        // Another daemon sharing the store may still be sending this one: within the deadline.
        try await store.save(Self.pending("msg_in_flight", createdAt: beforeStart.addingTimeInterval(-1)))

        let logs = LogRecords()
        let config = try ConfigParser.parse(yaml: Self.yaml, file: "test.yaml", environment: [:])
        let dependencies = ServerDependencies(config: config, messages: store, inbox: store, services: [store], clock: clock)
        let app = buildApplication(dependencies, logger: logs.logger(label: "test"))
        try await app.test(.router) { client in
            // The sweep runs beside the server: wait for its line.
            try await requireEventually(within: .seconds(30)) { logs.all.contains { $0.metadata["sb.messages.interrupted"] != nil } }
            let auth: HTTPFields = [.authorization: "Bearer test-api-key-1"]

            let crashed = try await client.execute(uri: "/v1/messages/msg_crashed", method: .get, headers: auth)
            #expect(crashed.status == .ok)
            let record = try #require(try JSONSerialization.jsonObject(with: Data(crashed.body.readableBytesView)) as? [String: Any])
            #expect(record["status"] as? String == "interrupted")
            let attempts = try #require(record["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1)
            #expect(attempts.first?["provider"] as? String == "(unknown)")
            #expect(attempts.first?["outcome"] as? String == "ambiguous")
            #expect(attempts.first?["provider_code"] as? String == "interrupted")
            #expect((attempts.first?["provider_message"] as? String)?.contains("it is not sent again") == true)

            let inFlight = try await client.execute(uri: "/v1/messages/msg_in_flight", method: .get, headers: auth)
            #expect(String(buffer: inFlight.body).contains(#""status":"pending""#))
        }
        let counted = logs.all.filter { $0.metadata["sb.messages.interrupted"] != nil }
        #expect(counted.map(\.level) == [.notice])
        #expect(counted.map { $0.metadata["sb.messages.interrupted"] } == ["1"])
    }

    @Test("the first sweep leaves what may still be in flight; the one after the deadline closes it; the daemon's own are never touched")
    func sweepsRespectTheDeadlineAndTheStart() async throws {
        let clock = ManualClock()
        let start = clock.date
        clock.advance(by: .milliseconds(10))
        let store = MemoryStore()
        await store.save(Self.pending("msg_in_flight", createdAt: start.addingTimeInterval(-1)))
        await store.save(Self.pending("msg_mine", createdAt: start.addingTimeInterval(0.005)))
        let logs = LogRecords()
        let sweep = InterruptedMessagesSweep(
            messages: store, processStart: start, deadline: .seconds(10), clock: clock, logger: logs.logger(label: "test")
        )

        #expect(await sweep.sweep(atStart: true) == 0)
        #expect(await store.message(id: "msg_in_flight")?.status == .pending)
        #expect(logs.lines.last?.hasPrefix("info no messages were left pending") == true)

        clock.advance(by: .seconds(10))
        #expect(await sweep.sweep(atStart: false) == 1)
        #expect(await store.message(id: "msg_in_flight")?.status == .interrupted)

        clock.advance(by: .seconds(3600))
        #expect(await sweep.sweep(atStart: false) == 0)
        #expect(await store.message(id: "msg_mine")?.status == .pending)
    }

    @Test("running, the sweep comes back after the deadline by itself")
    func secondSweepRuns() async throws {
        let clock = ManualClock()
        let start = clock.date
        let store = MemoryStore()
        await store.save(Self.pending("msg_in_flight", createdAt: start.addingTimeInterval(-0.01)))
        let sweep = InterruptedMessagesSweep(
            messages: store, processStart: start, deadline: .milliseconds(100), clock: clock, logger: Logger(label: "test")
        )
        let running = Task { try await sweep.run() }
        // Asleep until the deadline: the first sweep is done, and left the message in flight alone.
        try await requireEventually(within: .seconds(30)) { clock.sleeperCount == 1 }
        #expect(await store.message(id: "msg_in_flight")?.status == .pending)
        clock.advance(by: .milliseconds(100))
        try await requireEventually(within: .seconds(30)) { await store.message(id: "msg_in_flight")?.status == .interrupted }
        running.cancel()
        _ = await running.result
    }

    @Test("a reload that lengthens the deadline before the second sweep makes it wait for the new one")
    func secondSweepFollowsTheDeadlineInForce() async throws {
        let clock = ManualClock()
        let start = clock.date
        let store = MemoryStore()
        await store.save(Self.pending("msg_in_flight", createdAt: start.addingTimeInterval(-1)))
        let deadline = Locked(Duration.seconds(10))
        let sweep = InterruptedMessagesSweep(
            messages: store, processStart: start, deadline: { deadline.withLock { $0 } }, clock: clock, logger: Logger(label: "test")
        )
        let running = Task { try await sweep.run() }
        try await requireEventually(within: .seconds(30)) { clock.sleeperCount == 1 }
        // The reload: sends may now take a minute.
        deadline.withLock { $0 = .seconds(60) }
        clock.advance(by: .seconds(10))
        // Asleep again, until a minute after the start; the message may still be in flight.
        try await requireEventually(within: .seconds(30)) { clock.sleeperCount == 1 }
        #expect(await store.message(id: "msg_in_flight")?.status == .pending)
        clock.advance(by: .seconds(50))
        try await requireEventually(within: .seconds(30)) { await store.message(id: "msg_in_flight")?.status == .interrupted }
        running.cancel()
        _ = await running.result
    }
}
