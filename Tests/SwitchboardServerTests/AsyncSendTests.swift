import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import SwitchboardCore
import SwitchboardProviders
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Synchronization
import Testing

/// `POST /v1/messages` with `"async": true`: checked as a synchronous send, answered 202 once
/// queued, then sent by the daemon's worker through the shipped twilio definition to a loopback
/// fake, with failover; the stored record goes from queued to accepted (or failed) with its attempts.
///
/// Time: the delivery deadline is long, so only a gate or the fake's answer ends a send.
@Suite("Asynchronous sends", .timeLimit(.minutes(3)))
struct AsyncSendTests {
    static let auth: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]

    /// UK messages may go only to `slow`; the rest fail over to the built-in `backup`.
    static func yaml(twilio: FakeHTTPServer, workers: Int = 4, maxQueued: Int = 100) -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code", countries: { allow: [GB, US] } }
        providers:
          slow: { type: twilio, account_sid: ACqueue, auth_token: queue-token, base_url: \(twilio.baseURL) }
          backup: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: "+14155550100", providers: [slow] }
          - { name: rest, sender: "+14155550100", providers: [slow, backup] }
        delivery:
          deadline: 300s
          attempt_timeout: 300s
          async: { workers: \(workers), max_queued: \(maxQueued) }
        """
    }

    /// A fake Twilio that answers every request with a 201 once `gate` opens.
    static func heldTwilio(_ gate: Gate) async throws -> FakeHTTPServer {
        try await FakeHTTPServer { request in
            await gate.wait()
            let to = request.formField("To") ?? ""
            return .json(201, #"{"sid": "SMheld\#(to.filter(\.isNumber))", "status": "queued", "num_segments": "1", "error_code": null}"#)
        }
    }

    static func body(_ fields: String, async: Bool = true) -> ByteBuffer {
        ByteBuffer(string: async ? "{\(fields), \"async\": true}" : "{\(fields)}")
    }

    func withApp(_ yaml: String, _ body: @Sendable (any TestClientProtocol, MemoryStore) async throws -> Void) async throws {
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog), logger: Logger(label: "async"))
        try await app.test(.router) { client in try await body(client, store) }
    }

    @Test("202 with the message as queued and its Location; the worker sends it and the log shows it accepted with its attempt")
    func acceptedThenSent() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        try await withApp(Self.yaml(twilio: twilio)) { client, store in
            let answer = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Self.auth,
                body: Self.body(#""to": "+447700900123", "app": "demo", "text": "Your parcel arrives today""#)
            )
            // Answered while the provider still holds every request: the answer does not wait for it.
            #expect(answer.status == .accepted)
            let queued = try #require(jsonObject(answer.body.readableBytesView))
            let id = try #require(queued["id"] as? String)
            #expect(id.hasPrefix("msg_"))
            #expect(answer.headers[.location] == "/v1/messages/\(id)")
            #expect(queued["status"] as? String == "queued")
            #expect(queued["route"] as? String == "uk")
            #expect(queued["to"] as? String == "+447700900123")
            #expect(queued["text"] as? String == "Your parcel arrives today")
            #expect((queued["attempts"] as? [Any])?.isEmpty == true)
            #expect(queued["provider"] == nil)

            try await eventually { twilio.requests.count == 1 }
            gate.open()
            try await eventually { await store.message(id: id)?.status == .accepted }
            let shown = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: Self.auth)
            let sent = try #require(jsonObject(shown.body.readableBytesView))
            #expect(sent["status"] as? String == "accepted")
            #expect(sent["provider"] as? String == "slow")
            #expect(sent["provider_message_id"] as? String == "SMheld447700900123")
            let attempts = try #require(sent["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["provider"] as? String } == ["slow"])
            #expect(attempts.map { $0["outcome"] as? String } == ["accepted"])
            #expect(twilio.requests.first?.formField("Body") == "Your parcel arrives today")
            #expect(twilio.requests.count == 1)
        }
        await twilio.shutdown()
    }

    @Test("a queued message fails over as a synchronous one does: a 500 from the first provider, the backup takes it")
    func failover() async throws {
        let twilio = try await FakeHTTPServer { _ in
            .json(500, #"{"code": 20500, "message": "Internal Server Error", "status": 500}"#)
        }
        try await withApp(Self.yaml(twilio: twilio)) { client, store in
            let answer = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Self.auth,
                body: Self.body(#""to": "+14155550123", "app": "demo", "text": "Your parcel arrives today""#)
            )
            #expect(answer.status == .accepted)
            let id = try #require(jsonObject(answer.body.readableBytesView)?["id"] as? String)
            try await eventually { await store.message(id: id)?.status == .accepted }
            let record = try #require(await store.message(id: id))
            #expect(record.provider == "backup")
            #expect(record.attempts.map(\.provider) == ["slow", "backup"])
            #expect(record.attempts.map(\.outcome) == [.retryable, .accepted])
            #expect(twilio.requests.count == 1)
        }
        await twilio.shutdown()
    }

    @Test("every refusal of a synchronous send is the same refusal, status, code and message, with 'async'; nothing is queued")
    func refusalsAreTheSynchronousOnes() async throws {
        let twilio = try await Self.heldTwilio(Gate())
        let bodies = [
            #""to": "12", "app": "demo", "text": "Hi""#,
            #""to": "+447700900123", "app": "dmeo", "text": "Hi""#,
            #""to": "+33612345678", "app": "demo", "text": "Hi""#,
            #""to": "+14155550123", "app": "demo", "text": "Hi", "sender": "ACME""#,
            #""to": "+14155550123", "app": "demo", "sender": "+1""#,
            #""to": "+447700900123", "app": "demo", "kind": "transactional""#,
            #""to": "+447700900123", "app": "demo", "text": "\#(String(repeating: "long ", count: 200))""#,
            #""to": "+447700900123", "app": "demo", "txt": "Hi""#,
            #""to": "+447700900123", "app": "demo", "text": 7"#,
        ]
        try await withApp(Self.yaml(twilio: twilio)) { client, store in
            for fields in bodies {
                let sync = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: Self.body(fields, async: false))
                let queued = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: Self.body(fields))
                let syncError = jsonObject(sync.body.readableBytesView)?["error"] as? [String: Any]
                let asyncError = jsonObject(queued.body.readableBytesView)?["error"] as? [String: Any]
                #expect(sync.status.code >= 400 && sync.status.code < 500, "\(fields): \(sync.status)")
                #expect(queued.status == sync.status, "\(fields)")
                #expect(asyncError?["code"] as? String == syncError?["code"] as? String, "\(fields)")
                #expect(asyncError?["message"] as? String == syncError?["message"] as? String, "\(fields)")
            }
            let logged = try await store.recentMessages(to: nil, limit: 100)
            #expect(logged.isEmpty)
        }
        #expect(twilio.requests.isEmpty)
        await twilio.shutdown()
    }

    @Test("OTP messages stay synchronous: 'async' with a code or kind otp is a 400 that says so; a non-boolean 'async' is a 400")
    func codesAreNotQueued() async throws {
        let twilio = try await Self.heldTwilio(Gate())
        try await withApp(Self.yaml(twilio: twilio)) { client, store in
            for fields in [#""to": "+447700900123", "app": "demo", "otp": "123456""#, #""to": "+447700900123", "app": "demo", "kind": "otp", "text": "Hi""#] {
                let answer = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: Self.body(fields))
                #expect(answer.status == .badRequest, "\(fields)")
                let refusal = jsonObject(answer.body.readableBytesView)?["error"] as? [String: Any]
                #expect(refusal?["code"] as? String == "invalid_field")
                #expect((refusal?["message"] as? String)?.contains("sent synchronously") == true)
            }
            let wrongType = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Self.auth,
                body: ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Hi", "async": "yes"}"#)
            )
            #expect(wrongType.status == .badRequest)
            let refusal = jsonObject(wrongType.body.readableBytesView)?["error"] as? [String: Any]
            #expect(refusal?["code"] as? String == "invalid_field")
            #expect(refusal?["message"] as? String == "field 'async' must be true or false")
            #expect(try await store.recentMessages(to: nil, limit: 10).isEmpty)
        }
        await twilio.shutdown()
    }

    @Test("beyond delivery.async.max_queued the send is answered 503 queue_full with Retry-After, and what was queued is still sent")
    func fullQueue() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        try await withApp(Self.yaml(twilio: twilio, workers: 1, maxQueued: 2)) { client, store in
            func send(_ index: Int) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Self.auth,
                    body: Self.body(#""to": "+44770090012\#(index)", "app": "demo", "text": "Parcel \#(index)""#)
                )
            }
            // The one worker holds the first; the next two wait in the queue, which is then full.
            let first = try await send(1)
            #expect(first.status == .accepted)
            try await eventually { twilio.requests.count == 1 }
            let second = try await send(2)
            let third = try await send(3)
            #expect(second.status == .accepted)
            #expect(third.status == .accepted)
            let refused = try await send(4)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            let refusal = jsonObject(refused.body.readableBytesView)?["error"] as? [String: Any]
            #expect(refusal?["code"] as? String == "queue_full")

            gate.open()
            try await eventually { await store.recentMessages(to: nil, status: .accepted, limit: 10).count == 3 }
            #expect(twilio.requests.compactMap { $0.formField("Body") }.sorted() == ["Parcel 1", "Parcel 2", "Parcel 3"])
        }
        await twilio.shutdown()
    }

    @Test("a send whose queued record the store could not save is a 500, and gives its place in the queue back")
    func unsavedGivesPlaceBack() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(
            yaml: Self.yaml(twilio: twilio, workers: 1, maxQueued: 1), file: "test.yaml", environment: [:], providerTypes: catalog
        )
        let memory = MemoryStore()
        let store = QueuedSaveFailingStore(memory)
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: memory, providerTypes: catalog), logger: Logger(label: "async"))
        try await app.test(.router) { client in
            func send(_ text: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Self.auth, body: Self.body(#""to": "+447700900121", "app": "demo", "text": "\#(text)""#)
                )
            }
            // The one worker holds the first send, so it claims nothing more and never recounts
            // the queue from the store: the count is what the sends below leave it.
            #expect(try await send("Parcel 1").status == .accepted)
            try await eventually { twilio.requests.count == 1 }
            store.failsQueuedSaves.withLock { $0 = true }
            let unsaved = try await send("Parcel lost")
            #expect(unsaved.status == .internalServerError)
            store.failsQueuedSaves.withLock { $0 = false }
            // The queue holds one message at most: had the unsaved send kept its place, this is a 503.
            #expect(try await send("Parcel 2").status == .accepted)
            gate.open()
            try await eventually { await memory.recentMessages(to: nil, status: .accepted, limit: 10).count == 2 }
            #expect(twilio.requests.compactMap { $0.formField("Body") }.sorted() == ["Parcel 1", "Parcel 2"])
        }
        await twilio.shutdown()
    }

    @Test("a queued message that finds the provider's slots and queue full goes back to the queue, with no attempt, and is sent later")
    func fullProviderMeansLater() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let yaml = Self.yaml(twilio: twilio).replacingOccurrences(of: "base_url: \(twilio.baseURL) }", with: "base_url: \(twilio.baseURL), max_in_flight: 1, queue: 0 }")
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let http = HTTPClientService.makeShared()
        let gateway = makeGateway(config: config, store: store, inbox: store, catalog: catalog, transport: http.transport, background: nil, alarms: .running()).gateway
        let logger = Logger(label: "async-requeue")
        // A synchronous send takes the provider's one slot and is held there.
        let held = Task {
            try await gateway.send(SendRequest(to: "+447700900121", app: "demo", kind: .transactional, content: .text("Held")), logger: logger)
        }
        try await eventually { twilio.requests.count == 1 }

        let record = try gateway.queuedRecord(for: SendRequest(to: "+447700900122", app: "demo", kind: .transactional, content: .text("Later")))
        try await gateway.enqueue(record, logger: logger)
        let claimed = try #require(await store.claimQueued(limit: 1, at: Date()).first)
        #expect(try await gateway.deliverQueued(claimed, logger: logger) == .requeued)
        let requeued = try #require(await store.message(id: record.id))
        #expect(requeued.status == .queued)
        #expect(requeued.attempts.isEmpty)

        gate.open()
        _ = try await held.value
        let again = try #require(await store.claimQueued(limit: 1, at: Date()).first)
        #expect(try await gateway.deliverQueued(again, logger: logger) == .finished)
        let sent = try #require(await store.message(id: record.id))
        #expect(sent.status == .accepted)
        #expect(sent.attempts.map(\.outcome) == [.accepted])
        #expect(twilio.requests.compactMap { $0.formField("Body") } == ["Held", "Later"])
        try await http.service.shutdown()
        await twilio.shutdown()
    }

    @Test("a queued message that the configuration in force no longer routes fails for good, with the reason, and is not sent")
    func unroutableAfterReload() async throws {
        let twilio = try await FakeHTTPServer { _ in
            .json(201, #"{"sid": "SMunroutable", "status": "queued", "num_segments": "1", "error_code": null}"#)
        }
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let parse = { (yaml: String) in try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog) }
        let queuedUnder = try parse(Self.yaml(twilio: twilio))
        // Reloaded before the worker sends it: only numbers in the US are routed now.
        let routes = """
              - { name: uk, match: { countries: [GB] }, sender: "+14155550100", providers: [slow] }
              - { name: rest, sender: "+14155550100", providers: [slow, backup] }
            """
        let inForce = try parse(
            Self.yaml(twilio: twilio).replacingOccurrences(
                of: routes, with: #"  - { name: us, match: { countries: [US] }, sender: "+14155550100", providers: [slow] }"#
            )
        )
        let store = MemoryStore()
        let http = HTTPClientService.makeShared()
        let gateway = { (config: SwitchboardConfig) in
            makeGateway(config: config, store: store, inbox: store, catalog: catalog, transport: http.transport, background: nil, alarms: .running()).gateway
        }
        let logger = Logger(label: "async-unroutable")
        let record = try gateway(queuedUnder).queuedRecord(
            for: SendRequest(to: "+447700900123", app: "demo", kind: .transactional, content: .text("Gone"))
        )
        try await gateway(queuedUnder).enqueue(record, logger: logger)
        let claimed = try #require(await store.claimQueued(limit: 1, at: Date()).first)

        #expect(try await gateway(inForce).deliverQueued(claimed, logger: logger) == .finished)
        let failed = try #require(await store.message(id: record.id))
        #expect(failed.status == .failed)
        #expect(failed.attempts.map(\.outcome) == [.permanent])
        #expect(failed.attempts.first?.providerCode == "not_routable")
        #expect(failed.attempts.first?.providerMessage?.hasPrefix("the message can no longer be sent as queued: ") == true)
        #expect(failed.attempts.first?.providerMessage?.contains("+447700900123") == true)
        #expect(twilio.requests.isEmpty)
        try await http.service.shutdown()
        await twilio.shutdown()
    }

    @Test("at graceful shutdown the worker claims nothing more and lets the send in flight finish")
    func shutdownDrains() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: Self.yaml(twilio: twilio, workers: 1), file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let http = HTTPClientService.makeShared()
        let gateway = makeGateway(config: config, store: store, inbox: store, catalog: catalog, transport: http.transport, background: nil, alarms: .running()).gateway
        let logger = Logger(label: "async-shutdown")
        let queue = AsyncQueue(maxQueued: 10)
        let worker = AsyncDeliveryWorker(gateway: { gateway }, messages: store, queue: queue, settings: config.delivery.asynchronous, logger: logger)
        let first = try gateway.queuedRecord(for: SendRequest(to: "+447700900121", app: "demo", kind: .transactional, content: .text("First")))
        let second = try gateway.queuedRecord(for: SendRequest(to: "+447700900122", app: "demo", kind: .transactional, content: .text("Second")))
        try await gateway.enqueue(first, logger: logger)

        try await testGracefulShutdown { trigger in
            async let running: Void = worker.run()
            try await eventually { twilio.requests.count == 1 }
            try await gateway.enqueue(second, logger: logger)
            trigger.triggerGracefulShutdown()
            gate.open()
            try await running
        }
        #expect(await store.message(id: first.id)?.status == .accepted)
        #expect(await store.message(id: second.id)?.status == .queued)
        #expect(twilio.requests.count == 1)
        try await http.service.shutdown()
        await twilio.shutdown()
    }
}

/// Waits, in real time, until `condition` holds; the limit is generous for a starved runner.
private func eventually(within limit: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let end = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < end else {
            Issue.record("the condition did not hold within \(limit)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A message store that refuses to save queued records while told to, and is otherwise `store`.
private final class QueuedSaveFailingStore: MessageStore {
    struct Refused: Error {}

    let store: MemoryStore
    let failsQueuedSaves = Mutex(false)

    init(_ store: MemoryStore) {
        self.store = store
    }

    func save(_ record: MessageRecord) async throws {
        if record.status == .queued, failsQueuedSaves.withLock({ $0 }) { throw Refused() }
        await store.save(record)
    }

    func saveWithoutWaiting(_ record: MessageRecord, failed: @escaping @Sendable (any Error) -> Void) -> Bool {
        store.saveWithoutWaiting(record, failed: failed)
    }

    func message(id: String) async throws -> MessageRecord? { await store.message(id: id) }

    func recentMessages(to: String?, status: MessageStatus?, limit: Int) async throws -> [MessageRecord] {
        await store.recentMessages(to: to, status: status, limit: limit)
    }

    func markInterrupted(createdBefore cutoff: Date, note: DeliveryAttempt) async throws -> Int {
        await store.markInterrupted(createdBefore: cutoff, note: note)
    }

    func claimQueued(limit: Int, at date: Date) async throws -> [MessageRecord] { await store.claimQueued(limit: limit, at: date) }

    func countQueued() async throws -> Int { await store.countQueued() }
}
