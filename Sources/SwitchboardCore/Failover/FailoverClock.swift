package import Foundation

/// The time source of the failover engine: attempt timeouts, breaker cool-downs and Retry-After.
///
/// Instants are `ContinuousClock.Instant`s because that is what deadlines are everywhere else
/// (`Gateway.send`, `SMSProvider.send`). Tests pass a clock they move by hand, so breaker and
/// timeout behaviour is checked without waiting.
package protocol FailoverClock: Sendable {
    /// The current instant.
    var now: ContinuousClock.Instant { get }
    /// The current wall time, for records and the breaker read API.
    var date: Date { get }
    /// Suspends until `deadline`.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

/// The real clock.
package struct SystemFailoverClock: FailoverClock {
    package init() {}

    package var now: ContinuousClock.Instant { ContinuousClock.now }
    package var date: Date { Date() }

    package func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await ContinuousClock().sleep(until: deadline, tolerance: nil)
    }
}
