package import Foundation

/// One try at handing a message to one provider.
package struct DeliveryAttempt: Sendable, Hashable, Codable {
    package var provider: String
    package var outcome: AttemptOutcome
    package var providerCode: String?
    package var providerMessage: String?
    package var providerMessageID: String?
    /// Wall time the attempt took, in microseconds.
    package var latencyMicroseconds: Int64
    package var startedAt: Date

    package init(
        provider: String,
        outcome: AttemptOutcome,
        providerCode: String? = nil,
        providerMessage: String? = nil,
        providerMessageID: String? = nil,
        latencyMicroseconds: Int64,
        startedAt: Date
    ) {
        self.provider = provider
        self.outcome = outcome
        self.providerCode = providerCode
        self.providerMessage = providerMessage
        self.providerMessageID = providerMessageID
        self.latencyMicroseconds = latencyMicroseconds
        self.startedAt = startedAt
    }
}
