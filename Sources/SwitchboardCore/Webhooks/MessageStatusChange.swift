package import Foundation
package import Logging

/// A message moved to a new status: its send ended (`accepted`, `failed`), or a receipt moved it
/// on (`sent`, `delivered`, `undelivered`, `failed`). What the app's webhook and the message's
/// Twilio `StatusCallback` are told.
package struct MessageStatusChange: Sendable {
    package enum Status: String, Sendable, CaseIterable {
        case accepted, failed, sent, delivered, undelivered

        /// The event an app subscribes to for this status.
        package var eventType: WebhookEventType {
            switch self {
            case .accepted: .messageAccepted
            case .failed: .messageFailed
            case .sent: .messageSent
            case .delivered: .messageDelivered
            case .undelivered: .messageUndelivered
            }
        }

        /// Twilio's `MessageStatus` word: a message a provider took is `sent` to Twilio's callers.
        package var twilioStatus: String {
            switch self {
            case .accepted, .sent: "sent"
            case .failed: "failed"
            case .delivered: "delivered"
            case .undelivered: "undelivered"
            }
        }
    }

    /// The message as now stored.
    package var message: MessageRecord
    package var status: Status
    package var at: Date
    /// The provider's (or our) error code, for `failed` and `undelivered`.
    package var errorCode: String?

    package init(message: MessageRecord, status: Status, at: Date, errorCode: String? = nil) {
        self.message = message
        self.status = status
        self.at = at
        self.errorCode = errorCode
    }

    /// The end of a send, from its saved record; `nil` for a record that has not ended.
    package init?(sendEnded record: MessageRecord) {
        switch record.status {
        case .accepted: self.init(message: record, status: .accepted, at: record.updatedAt)
        case .failed: self.init(message: record, status: .failed, at: record.updatedAt, errorCode: record.attempts.last?.providerCode)
        // A receipt, not a send, moves a message to these.
        case .queued, .pending, .interrupted, .sent, .delivered, .undelivered: return nil
        }
    }
}

/// Hears of every status change of a message, once it is stored: the receipts intake calls it
/// for `sent`, `delivered`, `undelivered` and `failed`. Returns once the events it makes are
/// stored (durable), never waiting for their delivery.
package protocol MessageStatusSink: Sendable {
    func messageStatusChanged(_ change: MessageStatusChange, logger: Logger) async
}
