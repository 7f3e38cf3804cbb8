package import Foundation

/// The time source of everything that needs time: send deadlines and attempt timeouts, breaker
/// cool-downs and Retry-After, credential throttling, token lifetimes, message timestamps.
///
/// Instants are `ContinuousClock.Instant`s because that is what deadlines are everywhere else
/// (`Gateway.send`, `SMSProvider.send`); `date` is wall time, for what is stored or shown. Tests
/// pass a clock they move by hand, so behaviour over time is checked without waiting.
package protocol SwitchboardClock: Sendable {
    /// The current instant.
    var now: ContinuousClock.Instant { get }
    /// The current wall time, for records and what the API shows.
    var date: Date { get }
    /// Suspends until `deadline`.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

/// The real clock.
package struct SystemClock: SwitchboardClock {
    package init() {}

    package var now: ContinuousClock.Instant { ContinuousClock.now }
    package var date: Date { Date() }

    package func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await ContinuousClock().sleep(until: deadline, tolerance: nil)
    }
}
