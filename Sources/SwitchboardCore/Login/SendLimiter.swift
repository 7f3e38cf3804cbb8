package import Foundation

/// The send-limit rule every store applies inside its critical section.
package enum SendLimiter {
    /// `nil` when a send may go ahead now, else how long to wait.
    /// - Parameter recent: The sends of the last hour, in any order.
    package static func decide(recent: [Date], now: Date, limits: SendLimits) -> SendReservation? {
        let freeing = recent.count >= limits.maxPerHour ? recent.sorted()[recent.count - limits.maxPerHour] : nil
        return decide(RecentSends(count: recent.count, latest: recent.max(), freeing: freeing), now: now, limits: limits)
    }

    /// As ``decide(recent:now:limits:)``, from what a store can count without reading every send.
    package static func decide(_ recent: RecentSends, now: Date, limits: SendLimits) -> SendReservation? {
        var wait: TimeInterval = 0
        // Without a cool-down there is none to wait for, even when another daemon counted a send
        // stamped a moment after `now` (it read its clock first, then waited for the lock).
        if let last = recent.latest, limits.resendAfter > .zero {
            let cooldownEnds = last.adding(limits.resendAfter)
            if cooldownEnds > now { wait = cooldownEnds.timeIntervalSince(now) }
        }
        if recent.count >= limits.maxPerHour {
            // The send that leaves the window after an hour frees a slot (one not given is taken
            // as sent now: the longest wait, never a send past the limit).
            wait = max(wait, (recent.freeing ?? now).addingTimeInterval(3600).timeIntervalSince(now))
        }
        guard wait > 0 else { return nil }
        return .retryAfter(.milliseconds(Int64((wait * 1000).rounded(.up))))
    }
}

/// The sends counted under one key in the last hour, as the send-limit rule needs them: a store
/// that counts them in its database need not read each one.
package struct RecentSends: Sendable, Hashable {
    /// How many there are.
    package var count: Int
    /// The newest.
    package var latest: Date?
    /// When `count` reaches the hourly limit: the send whose leaving the window brings the count
    /// below the limit, the `count - maxPerHour`-th oldest (from 0). Else not needed.
    package var freeing: Date?

    package init(count: Int, latest: Date?, freeing: Date?) {
        self.count = count
        self.latest = latest
        self.freeing = freeing
    }
}
