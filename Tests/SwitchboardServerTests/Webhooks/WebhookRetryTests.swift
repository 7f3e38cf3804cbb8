import Foundation
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The delivery of one event: stored before its first try, tried with backoff until the receiver
/// acknowledges it, across a restart, and given up as dead after `max_age`.
@Suite("Webhook retries", .timeLimit(.minutes(3)))
struct WebhookRetryTests {
    @Test func aReceiverThatFailsThreeTimesGetsTheEventOnceAcknowledgedWithAValidSignature() async throws {
        let answered = Locked(0)
        try await WebhookTest.withReceiver({ _ in
            let count = answered.withLock { count -> Int in
                count += 1
                return count
            }
            return count <= 3 ? .json(500, #"{"error":"not yet"}"#) : .respond(status: 204)
        }) { receiver in
            let clock = ManualClock()
            let store = MemoryWebhookStore()
            let config = try WebhookTest.config(url: receiver.baseURL + "/hooks")
            try await WebhookTest.withDelivery(store: store, config: config, clock: clock) { publisher, service in
                let record = WebhookTest.accepted(at: clock.date)
                await publisher.events(for: config).messageStatusChanged(try #require(MessageStatusChange(sendEnded: record)), logger: WebhookTest.quiet)
                let stored = try #require(await store.webhookEvents(state: .pending, app: "demo", limit: 10).first)
                // Stored before any try.
                #expect(receiver.requests.isEmpty)
                #expect(stored.attempts == 0)

                for wait in [Duration.milliseconds(2500), .seconds(5), .seconds(10)] {
                    #expect(await service.deliverDue() == 1)
                    #expect(await service.deliverDue() == 0, "not due again before its backoff")
                    clock.advance(by: wait - .milliseconds(1))
                    #expect(await service.deliverDue() == 0, "not due a moment before its backoff ends")
                    clock.advance(by: .milliseconds(1))
                }
                #expect(await service.deliverDue() == 1)
                let deliveredAt = clock.date
                clock.advance(by: .seconds(3600))
                #expect(await service.deliverDue() == 0)

                let delivered = try #require(await store.webhookEvent(id: stored.id))
                #expect(delivered.state == .delivered)
                #expect(delivered.attempts == 4)
                let requests = receiver.requests
                #expect(requests.count == 4)
                #expect(requests.map { $0.header("Switchboard-Event-Id") } == Array(repeating: stored.id, count: 4))
                #expect(Set(requests.map(\.bodyText)) == [stored.body])
                #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/hooks" && $0.header("Content-Type") == "application/json" })
                let last = try #require(requests.last)
                let signature = try #require(last.header("Switchboard-Signature"))
                #expect(try await WebhookTest.pythonVerifies(header: signature, body: last.bodyText, now: deliveredAt))
                #expect(try await WebhookTest.pythonVerifies(header: signature, body: last.bodyText + " ", now: deliveredAt) == false)
                // A captured event replayed an hour later is refused by its timestamp.
                #expect(try await WebhookTest.pythonVerifies(header: signature, body: last.bodyText, now: clock.date) == false)

                let event = try #require(last.json)
                #expect(event["id"] as? String == stored.id)
                #expect(event["type"] as? String == "message.accepted")
                #expect(event["app"] as? String == "demo")
                let data = try #require(event["data"] as? [String: Any])
                #expect(data["message_id"] as? String == record.id)
                #expect(data["status"] as? String == "accepted")
                #expect(data["to"] as? String == "+44*******123")
            }
        }
    }

    @Test func aRestartBetweenTriesStillDelivers() async throws {
        let answered = Locked(0)
        try await WebhookTest.withReceiver({ _ in
            answered.withLock { count in
                count += 1
                return count == 1 ? .json(503, "{}") : .respond(status: 200)
            }
        }) { receiver in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-webhooks-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.path + "/store.sqlite"
            let clock = ManualClock()
            let config = try WebhookTest.config(url: receiver.baseURL + "/hooks")

            let first = try await SQLiteStore.open(path: path, logger: WebhookTest.quiet)
            try await first.migrate()
            var eventID = ""
            try await WebhookTest.withDelivery(store: first, config: config, clock: clock) { publisher, service in
                let change = try #require(MessageStatusChange(sendEnded: WebhookTest.accepted(at: clock.date)))
                await publisher.events(for: config).messageStatusChanged(change, logger: WebhookTest.quiet)
                #expect(await service.deliverDue() == 1)
                eventID = try #require(try await first.webhookEvents(state: .pending, app: nil, limit: 1).first?.id)
            }
            try await first.close()

            clock.advance(by: .seconds(3))
            let second = try await SQLiteStore.open(path: path, logger: WebhookTest.quiet)
            try await second.migrate()
            try await WebhookTest.withDelivery(store: second, config: config, clock: clock) { _, service in
                #expect(await service.deliverDue() == 1)
                let event = try #require(try await second.webhookEvent(id: eventID))
                #expect(event.state == .delivered)
                #expect(event.attempts == 2)
            }
            try await second.close()
            #expect(receiver.requests.map { $0.header("Switchboard-Event-Id") } == [eventID, eventID])
        }
    }

    @Test func aDeliveredEventIsDeletedAWeekAfterItsLastTry() async throws {
        try await WebhookTest.withReceiver({ _ in .respond(status: 204) }) { receiver in
            let clock = ManualClock()
            let store = MemoryWebhookStore()
            let config = try WebhookTest.config(url: receiver.baseURL + "/hooks")
            try await WebhookTest.withDelivery(store: store, config: config, clock: clock) { publisher, service in
                let change = try #require(MessageStatusChange(sendEnded: WebhookTest.accepted(at: clock.date)))
                await publisher.events(for: config).messageStatusChanged(change, logger: WebhookTest.quiet)
                #expect(await service.deliverDue() == 1)
                let id = try #require(await store.webhookEvents(state: .delivered, app: "demo", limit: 1).first?.id)
                clock.advance(by: .seconds(7 * 24 * 3600))
                await service.purgeEnded()
                #expect(await store.webhookEvent(id: id) != nil, "kept for exactly a week")
                clock.advance(by: .seconds(1))
                await service.purgeEnded()
                #expect(await store.webhookEvent(id: id) == nil)
            }
        }
    }

    @Test func afterMaxAgeTheEventIsDeadWithItsLastError() async throws {
        try await WebhookTest.withReceiver({ _ in .json(503, #"{"error":"down"}"#) }) { receiver in
            let clock = ManualClock()
            let store = MemoryWebhookStore()
            let metrics = ServerMetrics()
            let config = try WebhookTest.config(url: receiver.baseURL + "/hooks", maxAge: "1m")
            try await WebhookTest.withDelivery(store: store, config: config, clock: clock, metrics: metrics) { publisher, service in
                let change = try #require(MessageStatusChange(sendEnded: WebhookTest.accepted(at: clock.date)))
                await publisher.events(for: config).messageStatusChanged(change, logger: WebhookTest.quiet)
                // Tries at 0, 2.5, 7.5, 17.5 and 37.5 seconds; the next would be at 77.5, past the minute.
                for wait in [Duration.milliseconds(2500), .seconds(5), .seconds(10), .seconds(20)] {
                    #expect(await service.deliverDue() == 1)
                    clock.advance(by: wait)
                }
                #expect(await service.deliverDue() == 1)
                clock.advance(by: .seconds(3600))
                #expect(await service.deliverDue() == 0)
                let dead = await store.webhookEvents(state: .dead, app: "demo", limit: 10)
                #expect(dead.count == 1)
                #expect(dead.first?.attempts == 5)
                #expect(dead.first?.lastError == #"HTTP 503: {"error":"down"}; no try left before max_age"#)
                #expect(receiver.requests.count == 5)
                let page = PrometheusPage(String(decoding: metrics.scrape(), as: UTF8.self))
                #expect(page.value("switchboard_webhook_attempts_total", ["result": "failed"]) == 4)
                #expect(page.value("switchboard_webhook_attempts_total", ["result": "dead"]) == 1)
            }
        }
    }

    @Test func aRedirectIsNotFollowedAndCountsAsAFailedTry() async throws {
        try await WebhookTest.withReceiver({ _ in .respond(status: 204) }) { elsewhere in
            let target = elsewhere.baseURL + "/stolen"
            try await WebhookTest.withReceiver({ _ in .respond(status: 307, headers: [("Location", target)]) }) { receiver in
                let clock = ManualClock()
                let store = MemoryWebhookStore()
                let config = try WebhookTest.config(url: receiver.baseURL + "/hooks")
                try await WebhookTest.withDelivery(store: store, config: config, clock: clock) { publisher, service in
                    let change = try #require(MessageStatusChange(sendEnded: WebhookTest.accepted(at: clock.date)))
                    await publisher.events(for: config).messageStatusChanged(change, logger: WebhookTest.quiet)
                    #expect(await service.deliverDue() == 1)
                    let event = try #require(await store.webhookEvents(state: .pending, app: "demo", limit: 1).first)
                    #expect(event.attempts == 1)
                    #expect(event.lastError == "HTTP 307")
                    #expect(elsewhere.requests.isEmpty)
                }
            }
        }
    }

    /// What the receipts intake will call: a delivered status becomes the app's event and the
    /// message's Twilio status callback, both stored before the call returns.
    @Test func aReceiptsStatusChangeBecomesTheAppsEventAndTheTwilioCallback() async throws {
        let clock = ManualClock()
        let store = MemoryWebhookStore()
        let config = try WebhookTest.config(url: "https://hooks.example.com/sb")
        try await WebhookTest.withDelivery(store: store, config: config, clock: clock) { publisher, _ in
            let record = WebhookTest.accepted(at: clock.date)
            await store.saveStatusCallback(messageID: record.id, url: "https://example.com/status")
            await publisher.events(for: config).messageStatusChanged(
                MessageStatusChange(message: record, status: .delivered, at: clock.date), logger: WebhookTest.quiet
            )
            let pending = await store.webhookEvents(state: .pending, app: "demo", limit: 10)
            #expect(Set(pending.map(\.type)) == ["message.delivered", "twilio.status_callback"])
            let callback = try #require(pending.first { $0.format == .twilio })
            #expect(callback.url == "https://example.com/status")
            #expect(callback.body.contains("MessageStatus=delivered"))
            #expect(callback.body.contains("SmsStatus=delivered"))
            #expect(!callback.body.contains("ErrorCode"))
        }
    }
}
