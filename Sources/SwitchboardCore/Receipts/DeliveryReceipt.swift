package import Foundation

/// One delivery receipt a provider sent us about a message it accepted: recorded as it came, with
/// the status it means to us.
package struct DeliveryReceipt: Sendable, Hashable, Codable {
    /// The provider instance (its name in `config.yaml`) the receipt came through.
    package var provider: String
    /// The provider's id of the message, as its accepting attempt recorded it.
    package var providerMessageID: String
    /// The status as the provider wrote it (`delivered`, `expired`).
    package var providerStatus: String
    /// What it means to us: `sent`, `delivered`, `undelivered` or `failed`; `nil` for a status the
    /// definition does not map, which is recorded but moves nothing.
    package var status: MessageStatus?
    /// The provider's error code, when it gave one.
    package var errorCode: String?
    package var receivedAt: Date

    package init(
        provider: String, providerMessageID: String, providerStatus: String, status: MessageStatus?, errorCode: String?, receivedAt: Date
    ) {
        self.provider = provider
        self.providerMessageID = providerMessageID
        self.providerStatus = providerStatus
        self.status = status
        self.errorCode = errorCode
        self.receivedAt = receivedAt
    }
}

/// A receipt moved a message from one status to another: what the apps' webhooks announce.
package struct ReceiptStatusChange: Sendable, Hashable {
    package var messageID: String
    package var app: String
    package var provider: String
    package var from: MessageStatus
    package var to: MessageStatus
    package var at: Date
    /// The provider's error code of the receipt that moved it, if any.
    package var errorCode: String?

    package init(messageID: String, app: String, provider: String, from: MessageStatus, to: MessageStatus, at: Date, errorCode: String?) {
        self.messageID = messageID
        self.app = app
        self.provider = provider
        self.from = from
        self.to = to
        self.at = at
        self.errorCode = errorCode
    }
}

/// What recording a receipt came to.
package enum ReceiptOutcome: Sendable, Hashable {
    /// No message has that provider message id (yet): the receipt is kept, and a message saved
    /// later with that id shows it.
    case unknownMessage
    /// The receipt is recorded on the message; `change` is set when it moved the message's status.
    case recorded(messageID: String, change: ReceiptStatusChange?)
}
