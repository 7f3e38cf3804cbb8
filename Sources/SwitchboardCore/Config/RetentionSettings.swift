package import Foundation

/// `retention:` — how long each kind of record is kept, and how the daemon deletes what is older.
///
/// Every window is on by default: a log kept forever holds every phone number and text ever sent,
/// and grows without bound. Keeping a kind forever is a choice an operator writes (`forever`).
package struct RetentionSettings: Sendable, Hashable {
    /// `retention.messages`: a final message (accepted, failed, interrupted) and its attempts go
    /// this long after it was created. Queued and pending messages are never deleted.
    package var messages: Duration? = .seconds(90 * 86_400)
    /// `retention.inbox`: the default provider's inbox holds whole texts, codes included.
    package var inbox: Duration? = .seconds(7 * 86_400)
    /// `retention.sessions`: a session and its refresh tokens go this long after it ended (logged
    /// out or revoked, or its last refresh token expired).
    package var sessions: Duration? = .seconds(30 * 86_400)
    /// `retention.challenges`: an OTP challenge goes this long after it expired; until then a late
    /// code is still answered "expired" rather than "no code was sent".
    package var challenges: Duration? = .seconds(86_400)
    /// `retention.batch`: the most rows of one kind one delete takes, so a send never waits long.
    /// A send that reaches the store during a delete waits for all of it: small batches with
    /// short pauses delete about as fast as large ones with long pauses, and keep that wait short.
    package var batch = 50
    /// `retention.pause`: the rest between two batches, which leaves the store to sends.
    package var pause: Duration = .milliseconds(10)
    /// `retention.every`: how often the daemon looks for what has aged out.
    package var every: Duration = .seconds(600)

    package static let windowBounds = Duration.seconds(60)...Duration.seconds(100 * 365 * 86_400)
    package static let batchBounds = 1...10_000
    package static let pauseBounds = Duration.zero...Duration.seconds(60)
    package static let everyBounds = Duration.seconds(1)...Duration.seconds(86_400)
    package static let windowKeys = RetainedKind.allCases.map(\.rawValue)
    package static let keys = windowKeys + ["batch", "pause", "every"]
    /// The word that keeps a kind forever.
    package static let forever = "forever"

    package init() {}

    /// The window of `kind`, or `nil` when it is kept forever.
    package func window(_ kind: RetainedKind) -> Duration? {
        switch kind {
        case .messages: messages
        case .inbox: inbox
        case .sessions: sessions
        case .challenges: challenges
        }
    }

    package mutating func setWindow(_ kind: RetainedKind, _ window: Duration?) {
        switch kind {
        case .messages: messages = window
        case .inbox: inbox = window
        case .sessions: sessions = window
        case .challenges: challenges = window
        }
    }

    /// What of `kind` has aged out at `now`: everything that ended before the returned instant;
    /// `nil` when the kind is kept forever.
    package func cutoff(_ kind: RetainedKind, now: Date) -> Date? {
        window(kind).map { now.addingTimeInterval(-$0.timeInterval) }
    }
}
