package import Foundation

/// Messages a stopped daemon left `pending`: which ones a starting daemon may close as
/// `interrupted`, and the note each gets.
///
/// A message is `pending` from the moment it is routed until its outcome is saved; a daemon killed
/// in between leaves it so forever. It cannot be sent again safely (the provider may have taken
/// it), so it is closed with a status of its own instead.
package enum InterruptedMessages {
    /// The provider named in the note: which one was being tried is not known.
    package static let unknownProvider = "(unknown)"
    /// The code of the note.
    package static let code = "interrupted"

    /// The newest creation time a pending message may have and still be marked: before this
    /// process started, so none of its own sends, and older than the longest a send may take (the
    /// delivery deadline), so none that another daemon sharing the store is still sending.
    /// - Parameters:
    ///   - processStart: When this daemon started.
    ///   - now: The time of the sweep.
    ///   - deadline: `delivery.deadline`, the most one send may take.
    package static func cutoff(processStart: Date, now: Date, deadline: Duration) -> Date {
        let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
        return min(processStart, now.addingTimeInterval(-seconds))
    }

    /// The attempt appended to a message marked `interrupted`, which says what happened.
    /// - Parameter date: When the message was marked.
    package static func note(at date: Date) -> DeliveryAttempt {
        DeliveryAttempt(
            provider: unknownProvider, outcome: .ambiguous, providerCode: code,
            providerMessage: "the daemon stopped before the outcome of this message was recorded: a provider may or may not"
                + " have sent it; it is not sent again",
            latencyMicroseconds: 0, startedAt: date
        )
    }
}
