import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The webhook outbox: stored before the first try, bounded per app, claimed with a lease, moved
/// to delivered or dead, redelivered by hand. Checked once and run against each store.
@Suite("Webhook store contract")
struct WebhookStoreContractTests {
    static let start = Fixtures.instant(800_000_000)

    static func event(_ id: String, app: String = "acme", offset: Double = 0) -> WebhookEvent {
        WebhookEvent(
            id: id, app: app, type: "message.accepted", format: .switchboard, url: "https://hooks.example.com/sb",
            body: "{\"id\":\"\(id)\",\"n\":\"é\"}", createdAt: start.addingTimeInterval(offset), expiresAt: start.addingTimeInterval(86_400)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func anEventIsStoredAsGivenAndAFullQueueRefusesTheNext(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            #expect(try await store.insertWebhookEvent(Self.event("evt_a"), maxPending: 2))
            #expect(try await store.insertWebhookEvent(Self.event("evt_b", offset: 1), maxPending: 2))
            let third = try await store.insertWebhookEvent(Self.event("evt_c", offset: 2), maxPending: 2)
            #expect(third == false)
            #expect(try await store.webhookEvent(id: "evt_c") == nil)
            // Another app's queue is its own.
            #expect(try await store.insertWebhookEvent(Self.event("evt_d", app: "shop"), maxPending: 2))
            #expect(try await store.webhookEvent(id: "evt_a") == Self.event("evt_a"))
            #expect(try await store.pendingWebhookEventCounts() == ["acme": 2, "shop": 1])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClaimTakesTheDueEventsOldestFirstAndLeasesThem(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            for (index, id) in ["evt_1", "evt_2", "evt_3"].enumerated() {
                _ = try await store.insertWebhookEvent(Self.event(id, offset: Double(index)), maxPending: 10)
            }
            let now = Self.start.addingTimeInterval(1)
            let lease = Self.start.addingTimeInterval(30)
            let claimed = try await store.claimDueWebhookEvents(limit: 5, now: now, leaseUntil: lease)
            // evt_3 is due only at start + 2.
            #expect(claimed.map(\.id) == ["evt_1", "evt_2"])
            #expect(try await store.claimDueWebhookEvents(limit: 5, now: now, leaseUntil: lease).isEmpty)
            #expect(try await store.webhookEvent(id: "evt_1")?.nextAttemptAt == lease)
            // Once the lease runs out, an event nobody recorded is claimed again.
            let later = try await store.claimDueWebhookEvents(limit: 1, now: lease, leaseUntil: lease.addingTimeInterval(30))
            #expect(later.map(\.id) == ["evt_3"])
            let again = try await store.claimDueWebhookEvents(limit: 5, now: lease, leaseUntil: lease.addingTimeInterval(30))
            #expect(again.map(\.id) == ["evt_1", "evt_2"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func triesMoveAnEventToRetryDeliveredOrDead(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            for id in ["evt_ok", "evt_dead"] { _ = try await store.insertWebhookEvent(Self.event(id), maxPending: 10) }
            let retryAt = Self.start.addingTimeInterval(5)
            try await store.recordWebhookAttempt(id: "evt_ok", result: .retry(next: retryAt, error: "HTTP 500: boom"))
            var expected = Self.event("evt_ok")
            expected.attempts = 1
            expected.nextAttemptAt = retryAt
            expected.lastError = "HTTP 500: boom"
            #expect(try await store.webhookEvent(id: "evt_ok") == expected)
            #expect(try await store.claimDueWebhookEvents(limit: 5, now: Self.start.addingTimeInterval(4), leaseUntil: retryAt).map(\.id) == ["evt_dead"])

            let deliveredAt = Self.start.addingTimeInterval(6)
            try await store.recordWebhookAttempt(id: "evt_ok", result: .delivered(at: deliveredAt))
            expected.attempts = 2
            expected.state = .delivered
            expected.nextAttemptAt = deliveredAt
            expected.lastError = nil
            #expect(try await store.webhookEvent(id: "evt_ok") == expected)

            try await store.recordWebhookAttempt(id: "evt_dead", result: .dead(at: deliveredAt, error: "connection refused"))
            #expect(try await store.webhookEvents(state: .dead, app: nil, limit: 10).map(\.id) == ["evt_dead"])
            #expect(try await store.webhookEvents(state: .delivered, app: "acme", limit: 10).map(\.id) == ["evt_ok"])
            #expect(try await store.webhookEvents(state: .dead, app: "shop", limit: 10).isEmpty)
            #expect(try await store.pendingWebhookEventCounts().isEmpty)
            #expect(try await store.claimDueWebhookEvents(limit: 5, now: Self.start.addingTimeInterval(1_000), leaseUntil: retryAt).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func onlyADeadEventCanBeRedelivered(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            for id in ["evt_dead", "evt_pending"] { _ = try await store.insertWebhookEvent(Self.event(id), maxPending: 10) }
            try await store.recordWebhookAttempt(id: "evt_dead", result: .dead(at: Self.start, error: "HTTP 404"))
            let now = Self.start.addingTimeInterval(100_000)
            let expires = now.addingTimeInterval(3600)
            #expect(try await store.redeliverWebhookEvent(id: "evt_pending", now: now, expiresAt: expires) == false)
            #expect(try await store.redeliverWebhookEvent(id: "evt_missing", now: now, expiresAt: expires) == false)
            #expect(try await store.redeliverWebhookEvent(id: "evt_dead", now: now, expiresAt: expires))
            let redelivered = try #require(try await store.webhookEvent(id: "evt_dead"))
            #expect(redelivered.state == .pending)
            #expect(redelivered.nextAttemptAt == now)
            #expect(redelivered.expiresAt == expires)
            #expect(redelivered.attempts == 1)
            #expect(try await store.claimDueWebhookEvents(limit: 5, now: now, leaseUntil: expires).map(\.id).sorted() == ["evt_dead", "evt_pending"])
        }
    }

    /// Several daemons claiming at once (on PostgreSQL, concurrent transactions of the pool):
    /// each event goes to one claimer.
    @Test(arguments: StoreKind.allCases)
    func concurrentClaimsTakeEachEventOnce(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            for index in 0..<20 { _ = try await store.insertWebhookEvent(Self.event("evt_\(index)", offset: Double(index) / 1000), maxPending: 100) }
            let now = Self.start.addingTimeInterval(60)
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await store.claimDueWebhookEvents(limit: 5, now: now, leaseUntil: now.addingTimeInterval(30)).map(\.id) }
                }
                var all: [[String]] = []
                for try await claim in group { all.append(claim) }
                return all
            }
            let ids = claims.flatMap { $0 }
            #expect(ids.count == 20)
            #expect(Set(ids).count == 20)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func endedEventsArePurgedAfterTheirLastTryPendingOnesNever(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            for id in ["evt_delivered", "evt_dead", "evt_pending"] { _ = try await store.insertWebhookEvent(Self.event(id), maxPending: 10) }
            try await store.recordWebhookAttempt(id: "evt_delivered", result: .delivered(at: Self.start.addingTimeInterval(10)))
            try await store.recordWebhookAttempt(id: "evt_dead", result: .dead(at: Self.start.addingTimeInterval(20), error: "HTTP 410"))
            #expect(try await store.purgeWebhookEvents(endedBefore: Self.start.addingTimeInterval(10), limit: 10) == 0)
            #expect(try await store.purgeWebhookEvents(endedBefore: Self.start.addingTimeInterval(15), limit: 10) == 1)
            #expect(try await store.webhookEvent(id: "evt_delivered") == nil)
            #expect(try await store.purgeWebhookEvents(endedBefore: Self.start.addingTimeInterval(1_000_000), limit: 10) == 1)
            #expect(try await store.webhookEvent(id: "evt_dead") == nil)
            #expect(try await store.webhookEvent(id: "evt_pending")?.state == .pending)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMessagesStatusCallbackIsRemembered(kind: StoreKind) async throws {
        try await kind.withWebhookStore { store in
            #expect(try await store.statusCallback(messageID: "msg_1") == nil)
            try await store.saveStatusCallback(messageID: "msg_1", url: "https://example.com/cb?a=1&b=%20")
            #expect(try await store.statusCallback(messageID: "msg_1") == "https://example.com/cb?a=1&b=%20")
            #expect(try await store.statusCallback(messageID: "msg_2") == nil)
        }
    }
}

extension StoreKind {
    /// Calls `body` with a new, empty webhook store of this kind.
    func withWebhookStore(_ body: (any WebhookStore) async throws -> Void) async throws {
        switch self {
        case .memory: try await body(MemoryWebhookStore())
        case .sqliteFile, .sqliteInMemory: try await withSQLiteStore { try await body($0) }
        case .postgres: try await TestPostgres.withStore { try await body($0) }
        }
    }
}
