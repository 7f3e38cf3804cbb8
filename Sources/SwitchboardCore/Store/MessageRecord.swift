package import Foundation

/// Everything the gateway knows about one message: where it went, how, and what became of it.
package struct MessageRecord: Sendable, Hashable, Codable {
    package var id: String
    package var app: String
    package var kind: MessageKind
    /// The destination in E.164 form.
    package var to: String
    /// ISO 3166 alpha-2 code of the destination (or `001` for non-geographic numbers).
    package var country: String
    /// Name of the routing rule that matched.
    package var route: String
    package var sender: String
    /// The text as sent, except that an OTP's code is masked: codes never rest in the log.
    package var loggedText: String
    package var encoding: SMSEncoding
    package var segments: Int
    package var status: MessageStatus
    /// The provider that accepted the message, or the last one tried.
    package var provider: String?
    package var providerMessageID: String?
    package var attempts: [DeliveryAttempt]
    /// The provider's delivery receipts for this message, in the order they arrived. Filled by the
    /// stores when a message is read; a save never writes them (receipts are recorded on their own).
    package var receipts: [DeliveryReceipt] = []
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: String, app: String, kind: MessageKind, to: String, country: String, route: String,
        sender: String, loggedText: String, encoding: SMSEncoding, segments: Int,
        status: MessageStatus, provider: String? = nil, providerMessageID: String? = nil,
        attempts: [DeliveryAttempt] = [], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.app = app
        self.kind = kind
        self.to = to
        self.country = country
        self.route = route
        self.sender = sender
        self.loggedText = loggedText
        self.encoding = encoding
        self.segments = segments
        self.status = status
        self.provider = provider
        self.providerMessageID = providerMessageID
        self.attempts = attempts
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension MessageRecord {
    /// No provider was tried at all: every one was skipped (breakers open, Retry-After).
    package var everyProviderSkipped: Bool {
        !attempts.isEmpty && attempts.allSatisfy { $0.outcome == .skipped }
    }
}

/// Where a message stands.
package enum MessageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accepted for later delivery (`"async": true`), committed, waiting for a worker to claim it.
    /// A claimed message is `pending` from then on, exactly like a synchronous send.
    case queued
    /// Routed and rendered, not yet handed to a provider.
    case pending
    /// A provider accepted it.
    case accepted
    /// No provider accepted it; or, after a provider accepted it, its receipt said the network failed it.
    case failed
    /// The daemon stopped (a crash, `kill -9`) while sending it, before its outcome was recorded:
    /// a provider may or may not have sent it. Final: it is never sent again automatically.
    case interrupted
    /// The provider's receipt says it left for the network (a carrier took it).
    case sent
    /// The provider's receipt says the phone got it.
    case delivered
    /// The provider's receipt says the network gave up on it (phone off for days, unknown subscriber).
    case undelivered
}

extension MessageRecord {
    /// Whether this save of a message replaces `stored`, the save already kept: the newer one wins,
    /// and of two saves at the same instant the final one, since a pending record written in the
    /// background can arrive after the outcome it preceded.
    package func supersedes(_ stored: MessageRecord) -> Bool {
        if updatedAt != stored.updatedAt { return updatedAt > stored.updatedAt }
        return status != .pending || stored.status == .pending
    }
}
