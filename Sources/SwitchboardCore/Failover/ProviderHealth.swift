package import Foundation

/// What the failover engine knows about one provider's health, for the admin and metrics work.
package struct ProviderHealth: Sendable, Hashable {
    package var state: CircuitBreaker.State
    /// When the breaker entered its state (wall time).
    package var since: Date
    /// Failures in a row while closed (or that opened it).
    package var consecutiveFailures: Int
    /// Attempts and failures over the breaker's window while closed.
    package var windowRequests: Int
    package var windowFailures: Int
    /// Until when the provider asked not to be sent to (Retry-After), if that is still ahead.
    package var retryAfterUntil: Date?
}

/// Why the dispatcher did not try a provider of the chain.
package enum SkipReason: Sendable, Hashable {
    /// Its circuit breaker is open (`until` the cool-down ends), or half-open with the probe in flight (`nil`).
    case breakerOpen(until: ContinuousClock.Instant?)
    /// It answered with Retry-After, which has not passed yet.
    case retryAfter(until: ContinuousClock.Instant)
    /// The send's deadline was used up before its turn came.
    case deadlineExhausted
    /// The send was cancelled before its turn came (or while it waited for a slot).
    case cancelled
    /// Every request slot to it was taken and its wait queue was full (`max_in_flight`, `queue`).
    case queueFull
    /// The send waited for a slot (or for the provider's `rate`) until its attempt's time ran out.
    case queueTimeout
    /// An operator took it out of rotation (`POST /admin/providers/NAME/pause`).
    case paused

    /// The code stored with the skipped attempt.
    package var code: String {
        switch self {
        case .breakerOpen: "breaker_open"
        case .retryAfter: "retry_after"
        case .deadlineExhausted: "deadline_exhausted"
        case .cancelled: "cancelled"
        case .queueFull: "queue_full"
        case .queueTimeout: "queue_timeout"
        case .paused: "paused"
        }
    }
}
