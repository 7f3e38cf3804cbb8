package import Foundation

/// A message kept by the built-in default provider instead of being sent over the air.
package struct InboxMessage: Sendable, Hashable, Codable {
    /// Position in the inbox, increasing; readers that follow the inbox resume after the last one seen.
    package var sequence: Int64
    /// The provider message id the default provider answered with.
    package var id: String
    /// The gateway's message id.
    package var messageID: String
    package var to: String
    package var from: String
    package var text: String
    package var encoding: SMSEncoding
    package var segments: Int
    package var receivedAt: Date

    package init(
        sequence: Int64 = 0, id: String, messageID: String, to: String, from: String, text: String,
        encoding: SMSEncoding, segments: Int, receivedAt: Date
    ) {
        self.sequence = sequence
        self.id = id
        self.messageID = messageID
        self.to = to
        self.from = from
        self.text = text
        self.encoding = encoding
        self.segments = segments
        self.receivedAt = receivedAt
    }
}
