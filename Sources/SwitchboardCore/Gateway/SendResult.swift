/// What became of a message that a provider accepted.
///
/// The record, and what it does not say; the rest is read from it. A send in flight holds this in
/// the frames of the calls it returns through, so it carries no copy of the record's fields.
package struct SendResult: Sendable, Hashable {
    /// The message as the log now holds it, so callers answer without reading it back.
    package var record: MessageRecord
    package var sender: String?
    /// The provider that accepted it.
    package var provider: String

    package var messageID: String { record.id }
    /// The routing rule that matched.
    package var route: String { record.route }
    package var country: String { record.country }
    package var providerMessageID: String? { record.providerMessageID }
    package var encoding: SMSEncoding { record.encoding }
    package var segments: Int { record.segments }
    package var attempts: [DeliveryAttempt] { record.attempts }
}
