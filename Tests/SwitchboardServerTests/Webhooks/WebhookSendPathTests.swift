import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Webhooks seen from the send path of a running app: a receiver that hangs or a full queue
/// never holds up or fails a send, and operators list and redeliver dead events.
@Suite("Webhooks and sends", .timeLimit(.minutes(3)))
struct WebhookSendPathTests {
    static let auth: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]
    static let adminAuth: HTTPFields = [.authorization: "Bearer \(WebhookTest.admin)"]

    func withApp(
        config: SwitchboardConfig, store: MemoryWebhookStore, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let messages = MemoryStore()
        var dependencies = ServerDependencies(config: config, messages: messages, inbox: messages)
        dependencies.webhooks = store
        let app = buildApplication(dependencies, logger: WebhookTest.quiet)
        try await app.test(.router) { client in try await body(client) }
    }

    func send(_ client: any TestClientProtocol, _ text: String) async throws -> HTTPResponse.Status {
        let body = #"{"to": "+447700900123", "app": "demo", "text": "\#(text)"}"#
        return try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body)).status
    }

    @Test func sendsCompleteWhileTheReceiverHangs() async throws {
        let gate = Gate()
        try await WebhookTest.withReceiver({ _ in
            await gate.wait()
            return .respond(status: 204)
        }) { receiver in
            let store = MemoryWebhookStore()
            let config = try WebhookTest.config(url: receiver.baseURL + "/hooks")
            try await withApp(config: config, store: store) { client in
                #expect(try await send(client, "first") == .created)
                try await WebhookTest.eventually("the receiver holds the first event") { receiver.requests.count == 1 }
                // The receiver has answered nothing: every send still completes.
                for index in 1...5 {
                    #expect(try await send(client, "next \(index)") == .created)
                }
                #expect(receiver.requests.count <= 6)
                try await WebhookTest.eventually("every send's event is stored") {
                    await store.pendingWebhookEventCounts()["demo"] == 6
                }
                gate.open()
                try await WebhookTest.eventually("every event is delivered once the receiver answers") {
                    await store.webhookEvents(state: .delivered, app: "demo", limit: 10).count == 6
                }
            }
            gate.open()
            #expect(Set(receiver.requests.compactMap { $0.header("Switchboard-Event-Id") }).count == 6)
        }
    }

    @Test func aFullQueueDropsTheNewEventCountsItAndTheSendSucceeds() async throws {
        try await WebhookTest.withReceiver({ _ in .json(503, "{}") }) { receiver in
            let store = MemoryWebhookStore()
            let config = try WebhookTest.config(url: receiver.baseURL + "/hooks", queue: 1)
            try await withApp(config: config, store: store) { client in
                for index in 1...3 {
                    #expect(try await send(client, "parcel \(index)") == .created)
                }
                try await WebhookTest.eventually("two events dropped and counted") {
                    let page = try await client.execute(uri: "/metrics", method: .get, headers: Self.adminAuth)
                    return PrometheusPage(String(buffer: page.body)).value("switchboard_webhook_events_dropped_total", ["app": "demo"]) == 2
                }
                #expect(await store.pendingWebhookEventCounts() == ["demo": 1])
            }
        }
    }

    @Test func deadEventsAreListedAndARedeliveryMakesThemPendingOnce() async throws {
        let store = MemoryWebhookStore()
        let config = try WebhookTest.config(url: "https://127.0.0.1:9/sb?token=secret-in-query")
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        let event = WebhookEvent(
            id: "evt_0123456789abcdef0123456789abcdef", app: "demo", type: "message.failed", format: .switchboard,
            url: "https://127.0.0.1:9/sb?token=secret-in-query", body: "{}", createdAt: created, expiresAt: created.addingTimeInterval(60)
        )
        #expect(await store.insertWebhookEvent(event, maxPending: 10))
        try await store.recordWebhookAttempt(id: event.id, result: .dead(at: created.addingTimeInterval(61), error: "HTTP 410"))
        try await withApp(config: config, store: store) { client in
            let refused = try await client.execute(uri: "/admin/webhook-events", method: .get)
            #expect(refused.status == .unauthorized)

            let listed = try await client.execute(uri: "/admin/webhook-events?state=dead&app=demo", method: .get, headers: Self.adminAuth)
            #expect(listed.status == .ok)
            let page = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.readableBytesView)) as? [String: Any])
            let events = try #require(page["events"] as? [[String: Any]])
            #expect(events.count == 1)
            #expect(events.first?["id"] as? String == event.id)
            #expect(events.first?["state"] as? String == "dead")
            #expect(events.first?["attempts"] as? Int == 1)
            #expect(events.first?["last_error"] as? String == "HTTP 410")
            #expect(events.first?["receiver"] as? String == "https://127.0.0.1:9/sb")

            let badState = try await client.execute(uri: "/admin/webhook-events?state=lost", method: .get, headers: Self.adminAuth)
            #expect(badState.status == .badRequest)
            #expect(String(buffer: badState.body).contains("\"invalid_state\""))

            let redelivered = try await client.execute(uri: "/admin/webhook-events/\(event.id)/redeliver", method: .post, headers: Self.adminAuth)
            #expect(redelivered.status == .ok)
            #expect(String(buffer: redelivered.body).contains("\"state\":\"pending\""))
            #expect(await store.webhookEvents(state: .dead, app: nil, limit: 10).isEmpty)

            let again = try await client.execute(uri: "/admin/webhook-events/\(event.id)/redeliver", method: .post, headers: Self.adminAuth)
            #expect(again.status == .conflict)
            #expect(String(buffer: again.body).contains("\"webhook_event_not_dead\""))
            let unknown = try await client.execute(uri: "/admin/webhook-events/evt_missing/redeliver", method: .post, headers: Self.adminAuth)
            #expect(unknown.status == .notFound)
        }
    }
}
