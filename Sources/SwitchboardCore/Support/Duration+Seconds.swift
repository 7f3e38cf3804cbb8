package import Foundation

/// The one set of conversions between `Duration`, Foundation's seconds and whole seconds.
extension Duration {
    /// Whole seconds, rounding down; durations here are never negative.
    package var wholeSeconds: Int64 { components.seconds }

    /// Whole seconds for a `Retry-After`: rounded up, so a caller never comes back too early, and at
    /// least one, because something free now (or whose probe is in flight) is worth a retry at
    /// once, but a zero invites a tight loop.
    package var retryAfterSeconds: Int64 {
        max(1, components.seconds + (components.attoseconds > 0 ? 1 : 0))
    }

    /// The duration in seconds, as Foundation counts time.
    package var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Date {
    /// `self` moved by a `Duration`.
    package func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }

    /// How long after `earlier` this date is (negative when it is before it).
    package func duration(since earlier: Date) -> Duration {
        .seconds(timeIntervalSince(earlier))
    }
}
