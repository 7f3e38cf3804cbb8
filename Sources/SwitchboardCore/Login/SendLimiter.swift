package import Foundation

/// The send-limit rule every store applies inside its critical section.
package enum SendLimiter {
    /// `nil` when a send may go ahead now, else how long to wait.
    /// - Parameter recent: The sends of the last hour, in any order.
    package static func decide(recent: [Date], now: Date, limits: SendLimits) -> SendReservation? {
        var wait: TimeInterval = 0
        // Without a cool-down there is none to wait for, even when another daemon counted a send
        // stamped a moment after `now` (it read its clock first, then waited for the lock).
        if let last = recent.max(), limits.resendAfter > .zero {
            let cooldownEnds = last.adding(limits.resendAfter)
            if cooldownEnds > now { wait = cooldownEnds.timeIntervalSince(now) }
        }
        if recent.count >= limits.maxPerHour {
            // The oldest send in the window leaves it after an hour, freeing one slot.
            let sorted = recent.sorted()
            let freed = sorted[recent.count - limits.maxPerHour].addingTimeInterval(3600)
            wait = max(wait, freed.timeIntervalSince(now))
        }
        guard wait > 0 else { return nil }
        return .retryAfter(.milliseconds(Int64((wait * 1000).rounded(.up))))
    }
}
