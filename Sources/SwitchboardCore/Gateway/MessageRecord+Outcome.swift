import Foundation

extension MessageRecord {
    /// Records what the providers came to, for a synchronous and a queued send alike: every
    /// attempt, `accepted` or `failed`, the provider that answered last (or, when none answered, the
    /// last one skipped), and the accepting provider's message id.
    mutating func conclude(with attempts: [DeliveryAttempt], at date: Date) {
        let accepted = attempts.last.flatMap { $0.outcome == .accepted ? $0 : nil }
        self.attempts = attempts
        status = accepted == nil ? .failed : .accepted
        provider = attempts.last { $0.outcome != .skipped }?.provider ?? attempts.last?.provider
        providerMessageID = accepted?.providerMessageID
        updatedAt = date
    }
}
