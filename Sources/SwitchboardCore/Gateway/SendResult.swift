/// What became of a message that a provider accepted.
package struct SendResult: Sendable, Hashable {
    package var messageID: String
    /// The routing rule that matched.
    package var route: String
    package var country: String
    package var sender: String?
    /// The provider that accepted it.
    package var provider: String
    package var providerMessageID: String?
    package var encoding: SMSEncoding
    package var segments: Int
    package var attempts: [DeliveryAttempt]
    /// The message as the log now holds it, so callers answer without reading it back.
    package var record: MessageRecord
}
