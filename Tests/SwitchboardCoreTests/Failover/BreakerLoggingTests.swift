import Foundation
import Logging
import Testing
import SwitchboardCore
import SwitchboardTestSupport

/// Breaker state changes are logged exactly once each, with the provider and both states.
@Suite("Breaker logging")
struct BreakerLoggingTests {
    @Test("open, half-open and closed are each logged once, however many sends see the state")
    func eachChangeLoggedOnce() async {
        let clock = ManualClock()
        let records = LogRecords()
        let logger = records.logger(label: "breaker-test")
        let registry = CircuitBreakerRegistry(settings: BreakerSettings(consecutiveFailures: 2, openFor: .seconds(10)), clock: clock)

        for _ in 0..<2 {
            _ = registry.admit("p", logger: logger)
            registry.record("p", outcome: .retryable, retryAfter: nil, probe: false, logger: logger)
        }
        for _ in 0..<5 { #expect(registry.admit("p", logger: logger) == .skip(.breakerOpen(until: clock.now + .seconds(10)))) }
        clock.advance(by: .seconds(10))
        #expect(registry.admit("p", logger: logger) == .go(probe: true))
        for _ in 0..<5 { #expect(registry.admit("p", logger: logger) == .skip(.breakerOpen(until: nil))) }
        registry.record("p", outcome: .accepted, retryAfter: nil, probe: true, logger: logger)
        for _ in 0..<5 { #expect(registry.admit("p", logger: logger) == .go(probe: false)) }

        let changes = records.all.filter { $0.message == "circuit breaker changed state" }
        #expect(changes.map { "\($0.metadata["sb.breaker.from"] ?? "-")→\($0.metadata["sb.breaker.to"] ?? "-")" } == ["closed→open", "open→half_open", "half_open→closed"])
        #expect(changes.allSatisfy { $0.metadata["sb.provider"] == "p" })
    }

    @Test("the read API lists each provider's state, counts and Retry-After")
    func states() {
        let clock = ManualClock()
        let registry = CircuitBreakerRegistry(settings: BreakerSettings(consecutiveFailures: 3), clock: clock)
        let logger = Logger(label: "test")
        registry.record("a", outcome: .retryable, retryAfter: .seconds(30), probe: false, logger: logger)
        registry.record("a", outcome: .retryable, retryAfter: nil, probe: false, logger: logger)
        registry.record("b", outcome: .accepted, retryAfter: .seconds(30), probe: false, logger: logger)
        let states = registry.states()
        #expect(states["a"]?.state == .closed)
        #expect(states["a"]?.consecutiveFailures == 2)
        #expect(states["a"]?.windowRequests == 2 && states["a"]?.windowFailures == 2)
        #expect(states["a"]?.retryAfterUntil == clock.date.addingTimeInterval(30))
        #expect(states["b"]?.retryAfterUntil == nil)
        #expect(!registry.isAvailable("a") && registry.isAvailable("b") && registry.isAvailable("never-seen"))
        clock.advance(by: .seconds(30))
        #expect(registry.isAvailable("a"))
        #expect(registry.states()["a"]?.retryAfterUntil == nil)
    }

    @Test("the time until a provider is available is the earliest over the providers of the later of cool-down and Retry-After")
    func timeUntilAvailable() {
        let clock = ManualClock()
        let registry = CircuitBreakerRegistry(settings: BreakerSettings(consecutiveFailures: 1, openFor: .seconds(30)), clock: clock)
        let logger = Logger(label: "test")
        #expect(registry.timeUntilAvailable([String]()) == nil)
        #expect(registry.timeUntilAvailable(["never-seen"]) == .zero)
        // a: breaker open for 30s, and Retry-After 50s: available in 50s.
        registry.record("a", outcome: .retryable, retryAfter: .seconds(50), probe: false, logger: logger)
        // b: breaker open for 30s.
        registry.record("b", outcome: .retryable, retryAfter: nil, probe: false, logger: logger)
        #expect(registry.timeUntilAvailable(["a"]) == .seconds(50))
        #expect(registry.timeUntilAvailable(["a", "b"]) == .seconds(30))
        clock.advance(by: .seconds(10))
        #expect(registry.timeUntilAvailable(["a", "b"]) == .seconds(20))
        clock.advance(by: .seconds(20))
        // b's cool-down is over; its probe, once taken, may settle at any moment.
        #expect(registry.timeUntilAvailable(["a", "b"]) == .zero)
        #expect(registry.admit("b", logger: logger) == .go(probe: true))
        #expect(registry.timeUntilAvailable(["b"]) == .zero)
        #expect(registry.timeUntilAvailable(["a"]) == .seconds(20))
    }

    @Test("a huge Retry-After is capped at an hour")
    func retryAfterCapped() {
        let clock = ManualClock()
        let registry = CircuitBreakerRegistry(settings: BreakerSettings(), clock: clock)
        registry.record("a", outcome: .retryable, retryAfter: .seconds(86_400 * 365), probe: false, logger: Logger(label: "test"))
        clock.advance(by: .seconds(3599))
        #expect(!registry.isAvailable("a"))
        clock.advance(by: .seconds(1))
        #expect(registry.isAvailable("a"))
    }
}
