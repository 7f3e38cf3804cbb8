package import Foundation

/// The message log: one record per message, with every attempt.
///
/// Implementations must make a `save` durable before it returns, and may share one transaction
/// between concurrent saves.
package protocol MessageStore: Sendable {
    /// Inserts the record, or replaces the one with the same id unless that one was updated later:
    /// saves of one message may commit out of order, and the newest (by `updatedAt`) wins; of two
    /// with the same `updatedAt`, a pending one never replaces a final one (``MessageRecord/supersedes(_:)``).
    /// A message's number and creation time are fixed when it is made (its id is made from that
    /// time): every save of a message carries the same ones, and a store may keep the stored ones.
    func save(_ record: MessageRecord) async throws
    /// Queues a ``save(_:)`` and returns at once, when the store can, so that a caller who need not
    /// wait for it (the gateway's pending record) costs no task of its own: the save commits before,
    /// or together with, every save queued after it, and `failed` hears if it did not commit.
    /// - Returns: `false` when the store cannot queue it (nothing was done; save it another way).
    func saveWithoutWaiting(_ record: MessageRecord, failed: @escaping @Sendable (any Error) -> Void) -> Bool
    /// Throws ``StoreUnavailable`` while the store is known not to be able to save (its database
    /// out of reach), so that a send stops before its providers are called; asks nothing of the
    /// database itself.
    func checkWritable() throws
    /// The record with this id, or `nil`.
    func message(id: String) async throws -> MessageRecord?
    /// The newest records first, optionally only those to one number, or in one status.
    func recentMessages(to: String?, status: MessageStatus?, limit: Int) async throws -> [MessageRecord]
    /// Gives every message still `pending` that was created and last updated before `cutoff` the
    /// final status `interrupted`, and appends `note` to its attempts. A queued message claimed
    /// after `cutoff` is `pending` with a newer `updatedAt` (its claim), so it is left to its sender.
    ///
    /// `updatedAt` stays as it was: the mark is a guess, and a save of the message's real outcome
    /// (by a daemon that was only slow) must still replace it.
    /// - Returns: How many messages were marked.
    func markInterrupted(createdBefore cutoff: Date, note: DeliveryAttempt) async throws -> Int
    /// Claims up to `limit` of the oldest `queued` messages (by `createdAt`, then the order they
    /// were first saved in): each becomes `pending` with `updatedAt` set to `date`, durably, before
    /// this returns. Atomic: of several claimers (daemons sharing the store), each message goes to one.
    /// - Returns: The claimed records, oldest first, as now stored.
    func claimQueued(limit: Int, at date: Date) async throws -> [MessageRecord]
    /// How many messages are `queued`.
    func countQueued() async throws -> Int
}

extension MessageStore {
    /// Always writable: a store on this process's own files finds out only by writing.
    package func checkWritable() throws {}

    /// Cannot queue: the caller saves the record another way.
    package func saveWithoutWaiting(_ record: MessageRecord, failed: @escaping @Sendable (any Error) -> Void) -> Bool {
        false
    }

    /// The newest records first, optionally only those to one number.
    package func recentMessages(to: String?, limit: Int) async throws -> [MessageRecord] {
        try await recentMessages(to: to, status: nil, limit: limit)
    }
}

/// The default provider's inbox: what it was given, in order.
package protocol InboxStore: Sendable {
    /// Appends a message and returns it with its sequence number.
    func deliver(_ message: InboxMessage) async throws -> InboxMessage
    /// Messages after `sequence` (all when `nil`), oldest first, optionally only those to one number.
    func inbox(to: String?, after sequence: Int64?, limit: Int) async throws -> [InboxMessage]
    /// The newest `limit` messages, oldest first, optionally only those to one number.
    func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage]
}
