package import Foundation

/// The outbox of events for the apps' webhooks (and Twilio status callbacks), and the status
/// callback URL each Twilio-API message asked for.
///
/// Every write is durable before it returns. Claims are atomic across daemons sharing a store.
package protocol WebhookStore: Sendable {
    /// Stores `event` (state pending) unless its app already has `maxPending` pending events.
    /// - Returns: `false` when the app's queue was full and nothing was stored.
    func insertWebhookEvent(_ event: WebhookEvent, maxPending: Int) async throws -> Bool
    /// Takes up to `limit` pending events due at `now` (oldest due first) and moves their next try
    /// to `leaseUntil`, so no other claimer takes them meanwhile; a daemon that stops mid-try
    /// leaves them to be tried again once the lease ends.
    /// - Returns: The claimed events, as they were before the claim.
    func claimDueWebhookEvents(limit: Int, now: Date, leaseUntil: Date) async throws -> [WebhookEvent]
    /// Records a try's end: one more attempt, and the new state.
    func recordWebhookAttempt(id: String, result: WebhookAttemptResult) async throws
    /// The event with this id, or `nil`.
    func webhookEvent(id: String) async throws -> WebhookEvent?
    /// Events in `state`, optionally of one app, newest first.
    func webhookEvents(state: WebhookEvent.State, app: String?, limit: Int) async throws -> [WebhookEvent]
    /// Makes a dead event pending again, due at `now`, tried until `expiresAt`.
    /// - Returns: `false` when there is no dead event with this id.
    func redeliverWebhookEvent(id: String, now: Date, expiresAt: Date) async throws -> Bool
    /// Deletes up to `limit` delivered or dead events whose last try ended before `cutoff`.
    /// - Returns: How many were deleted.
    func purgeWebhookEvents(endedBefore cutoff: Date, limit: Int) async throws -> Int
    /// Pending events per app (queue depth).
    func pendingWebhookEventCounts() async throws -> [String: Int]
    /// Remembers the `StatusCallback` a message was created with.
    func saveStatusCallback(messageID: String, url: String) async throws
    /// The `StatusCallback` a message was created with, or `nil`.
    func statusCallback(messageID: String) async throws -> String?
}
