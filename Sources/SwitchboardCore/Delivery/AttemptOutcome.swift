/// How an attempt ended, in the classes that decide failover.
package enum AttemptOutcome: String, Sendable, Hashable, Codable {
    /// The provider took the message.
    case accepted
    /// The next provider would fail the same way: stop.
    case permanent
    /// This provider failed; another may succeed.
    case retryable
    /// The provider may or may not have sent it (a timeout after the request went out).
    case ambiguous
    /// The provider was not tried: its circuit breaker is open, it asked to wait (Retry-After), or
    /// the deadline ran out first. The attempt's code says which. Only the dispatcher sets this.
    case skipped
}
