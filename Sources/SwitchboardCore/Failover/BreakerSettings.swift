/// `delivery.breaker:` — when a provider's circuit breaker opens and for how long.
///
/// A breaker opens on whichever rule trips first: `failures` failures in a row, or a failure rate
/// of at least `failureRate` percent over the last `window`, once that window holds at least
/// `minimumRequests` attempts (so three failures of the day's first four sends don't trip it).
package struct BreakerSettings: Sendable, Hashable {
    /// Consecutive failures that open the breaker (`failures`, default 5).
    package var consecutiveFailures: Int
    /// Failure rate in percent that opens the breaker (`failure_rate`, default none: rule off).
    package var failureRatePercent: Int?
    /// The span the failure rate is measured over (`window`, default 60s).
    package var window: Duration
    /// Attempts the window must hold before the rate counts (`min_requests`, default 20).
    package var minimumRequests: Int
    /// How long an open breaker skips its provider before one probe is let through (`open_for`, default 30s).
    package var openFor: Duration

    package init(
        consecutiveFailures: Int = 5, failureRatePercent: Int? = nil, window: Duration = .seconds(60),
        minimumRequests: Int = 20, openFor: Duration = .seconds(30)
    ) {
        self.consecutiveFailures = consecutiveFailures
        self.failureRatePercent = failureRatePercent
        self.window = window
        self.minimumRequests = minimumRequests
        self.openFor = openFor
    }
}
