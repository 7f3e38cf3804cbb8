package import Foundation

/// A kind of record that ages out of the store (see ``RetentionSettings``).
package enum RetainedKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Final messages of the log, with their attempts.
    case messages
    /// The default provider's inbox.
    case inbox
    /// Ended sessions, with their refresh tokens.
    case sessions
    /// Expired OTP challenges.
    case challenges
}

/// Deletes records that have aged out, a bounded batch at a time, so that the deletes of a long
/// backlog never hold the store for long: the caller pauses between batches and sends go first.
package protocol RetentionStore: Sendable {
    /// Deletes at most `limit` records of `kind` that ended before `cutoff`, oldest first: a final
    /// message created before it (its attempts with it; a `queued` or `pending` one never), an
    /// inbox message received before it, a session revoked before it or whose last refresh token
    /// expired before it (its refresh tokens with it), a challenge that expired before it.
    ///
    /// A store that does not hold `kind` deletes nothing. A store shared by several daemons lets
    /// one of them purge at a time: the others delete nothing meanwhile.
    /// - Returns: How many records were deleted; fewer than `limit` when no more are due (or
    ///   another daemon is purging).
    func purge(_ kind: RetainedKind, endedBefore cutoff: Date, limit: Int) async throws -> Int
    /// How many records of `kind` ``purge(_:endedBefore:limit:)`` would delete with no limit.
    func countPurgeable(_ kind: RetainedKind, endedBefore cutoff: Date) async throws -> Int
    /// Returns the space freed by purges to the file system where the store can (an SQLite file
    /// in incremental auto-vacuum mode); elsewhere the database reuses it and this does nothing.
    func reclaimSpace() async throws
}

extension MessageStatus {
    /// The statuses a message may be deleted in when it ages out: it will not change again. Listed rather than
    /// excluded, so that a status added later is kept until someone decides otherwise.
    package static let purgeable: [MessageStatus] = [.accepted, .failed, .interrupted, .sent, .delivered, .undelivered]
}

