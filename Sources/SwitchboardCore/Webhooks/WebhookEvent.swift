package import Foundation

/// One event in the outbox: stored before its first delivery try, then tried until the receiver
/// answers 2xx or the event is older than its app's `max_age`.
package struct WebhookEvent: Sendable, Equatable {
    package enum State: String, Sendable, CaseIterable {
        /// Waiting for a (next) try.
        case pending
        /// The receiver answered 2xx.
        case delivered
        /// Tried until `expiresAt` with no 2xx; kept for an operator to look at and redeliver.
        case dead
    }

    /// How the event is sent and signed.
    package enum Format: String, Sendable, CaseIterable {
        /// JSON, `Switchboard-Signature` with the app's `webhook.secret`.
        case switchboard
        /// Twilio's status callback form, `X-Twilio-Signature` with the app's `twilio_api.auth_token`.
        case twilio
    }

    /// `evt_` and 32 hex digits; the receiver's idempotency key, the same on every try.
    package var id: String
    package var app: String
    /// A ``WebhookEventType`` name, or `twilio.status_callback`.
    package var type: String
    package var format: Format
    package var url: String
    /// The exact bytes POSTed, as text (JSON, or a form).
    package var body: String
    package var state: State
    /// Tries made so far.
    package var attempts: Int
    package var createdAt: Date
    /// When the next try is due (pending), or when the last one ended.
    package var nextAttemptAt: Date
    /// After this no further try is made: the event is dead.
    package var expiresAt: Date
    /// Why the last try failed: a status and a bounded excerpt, or a transport failure.
    package var lastError: String?

    package init(
        id: String = WebhookEvent.makeID(), app: String, type: String, format: Format, url: String, body: String, createdAt: Date,
        expiresAt: Date
    ) {
        self.id = id
        self.app = app
        self.type = type
        self.format = format
        self.url = url
        self.body = body
        self.state = .pending
        self.attempts = 0
        self.createdAt = createdAt
        self.nextAttemptAt = createdAt
        self.expiresAt = expiresAt
        self.lastError = nil
    }

    /// A new event id: 128 random bits.
    package static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "evt_" + (generator.next() as UInt64).hexDigits(width: 16) + (generator.next() as UInt64).hexDigits(width: 16)
    }
}

/// How one delivery try ended, as the outbox records it.
package enum WebhookAttemptResult: Sendable, Equatable {
    /// 2xx: done.
    case delivered(at: Date)
    /// Try again at `next`.
    case retry(next: Date, error: String)
    /// No further try (too old, or nothing to sign it with any more).
    case dead(at: Date, error: String)
}
