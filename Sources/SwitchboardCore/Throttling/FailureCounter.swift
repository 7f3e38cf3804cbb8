/// The failed credential attempts of one source (an address, or a client id) as a value driven by
/// the instants it is given: no clock, no lock, no I/O inside.
///
/// Failures are counted in a fixed window that starts at the first failure. The failure that
/// reaches the limit blocks the source for the block time; afterwards the count starts afresh.
/// Attempts refused during a block are not failures: the block ends when it said it would.
package struct FailureCounter: Sendable, Hashable {
    private var windowStart: ContinuousClock.Instant
    private var failures = 0
    /// While set and in the future, every attempt of the source is refused.
    package private(set) var blockedUntil: ContinuousClock.Instant?

    package init(now: ContinuousClock.Instant) {
        windowStart = now
    }

    /// When the source may try again, or `nil` if it may try now.
    package func blocked(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let blockedUntil, now < blockedUntil else { return nil }
        return blockedUntil
    }

    /// Counts one failure.
    /// - Returns: `true` when this failure started a block.
    package mutating func recordFailure(now: ContinuousClock.Instant, limits: CredentialFailureLimits) -> Bool {
        if failures == 0 || now >= windowStart + limits.window {
            windowStart = now
            failures = 0
        }
        failures += 1
        guard failures >= limits.failures else { return false }
        failures = 0
        blockedUntil = now + limits.block
        return true
    }

    /// Whether the counter no longer says anything: no block in force and its window is over.
    package func isSpent(now: ContinuousClock.Instant, limits: CredentialFailureLimits) -> Bool {
        blocked(now: now) == nil && (failures == 0 || now >= windowStart + limits.window)
    }
}
