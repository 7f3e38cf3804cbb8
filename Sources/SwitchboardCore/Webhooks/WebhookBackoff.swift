/// When a failed webhook try is tried again: exponential backoff with jitter, capped.
///
/// Pure: the random fraction is given, so tests fix it. "Equal jitter": half the step is fixed,
/// half random, so retries of many events spread out yet never come back at once.
package struct WebhookBackoff: Sendable, Equatable {
    /// The step after the first failed try.
    package var base: Duration
    /// No step is longer.
    package var cap: Duration

    package static let standard = WebhookBackoff(base: .seconds(5), cap: .seconds(3600))

    package init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = cap
    }

    /// The wait after the `attempt`-th failed try (1 for the first).
    /// - Parameter random: A fraction in `0..<1`.
    package func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let step = min(cap.timeInterval, base.timeInterval * Double(UInt64(1) << UInt64(exponent)))
        let fraction = min(max(random, 0), 1)
        return .milliseconds(Int64((step / 2 + step / 2 * fraction) * 1000))
    }
}
