package import Foundation
package import SwitchboardCore

/// The webhook outbox in memory, for tests and `.router` server tests: the contract of
/// ``WebhookStore`` without durability.
package actor MemoryWebhookStore: WebhookStore {
    private var events: [String: WebhookEvent] = [:]
    /// Insertion order, which breaks ties between events due at the same instant.
    private var order: [String: Int] = [:]
    private var nextOrder = 0
    private var callbacks: [String: String] = [:]

    package init() {}

    package func insertWebhookEvent(_ event: WebhookEvent, maxPending: Int) -> Bool {
        let pending = events.values.count { $0.app == event.app && $0.state == .pending }
        guard pending < maxPending, events[event.id] == nil else { return false }
        var event = event
        event.createdAt = event.createdAt.roundedToMicroseconds
        event.nextAttemptAt = event.nextAttemptAt.roundedToMicroseconds
        event.expiresAt = event.expiresAt.roundedToMicroseconds
        events[event.id] = event
        order[event.id] = nextOrder
        nextOrder += 1
        return true
    }

    package func claimDueWebhookEvents(limit: Int, now: Date, leaseUntil: Date) -> [WebhookEvent] {
        guard limit > 0 else { return [] }
        let due = events.values
            .filter { $0.state == .pending && $0.nextAttemptAt <= now }
            .sorted { ($0.nextAttemptAt, order[$0.id] ?? 0) < ($1.nextAttemptAt, order[$1.id] ?? 0) }
            .prefix(limit)
        for event in due { events[event.id]?.nextAttemptAt = leaseUntil.roundedToMicroseconds }
        return Array(due)
    }

    package func recordWebhookAttempt(id: String, result: WebhookAttemptResult) {
        guard var event = events[id] else { return }
        event.attempts += 1
        switch result {
        case .delivered(let at):
            event.state = .delivered
            event.nextAttemptAt = at.roundedToMicroseconds
            event.lastError = nil
        case .retry(let next, let error):
            event.nextAttemptAt = next.roundedToMicroseconds
            event.lastError = error
        case .dead(let at, let error):
            event.state = .dead
            event.nextAttemptAt = at.roundedToMicroseconds
            event.lastError = error
        }
        events[id] = event
    }

    package func webhookEvent(id: String) -> WebhookEvent? {
        events[id]
    }

    package func webhookEvents(state: WebhookEvent.State, app: String?, limit: Int) -> [WebhookEvent] {
        guard limit > 0 else { return [] }
        return Array(
            events.values
                .filter { $0.state == state && (app == nil || $0.app == app) }
                .sorted { ($0.createdAt, order[$0.id] ?? 0) > ($1.createdAt, order[$1.id] ?? 0) }
                .prefix(limit)
        )
    }

    package func redeliverWebhookEvent(id: String, now: Date, expiresAt: Date) -> Bool {
        guard var event = events[id], event.state == .dead else { return false }
        event.state = .pending
        event.nextAttemptAt = now.roundedToMicroseconds
        event.expiresAt = expiresAt.roundedToMicroseconds
        events[id] = event
        return true
    }

    package func purgeWebhookEvents(endedBefore cutoff: Date, limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        let ended = events.values.filter { $0.state != .pending && $0.nextAttemptAt < cutoff }.prefix(limit)
        for event in ended {
            events[event.id] = nil
            order[event.id] = nil
        }
        return ended.count
    }

    package func pendingWebhookEventCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for event in events.values where event.state == .pending { counts[event.app, default: 0] += 1 }
        return counts
    }

    package func saveStatusCallback(messageID: String, url: String) {
        callbacks[messageID] = url
    }

    package func statusCallback(messageID: String) -> String? {
        callbacks[messageID]
    }
}
