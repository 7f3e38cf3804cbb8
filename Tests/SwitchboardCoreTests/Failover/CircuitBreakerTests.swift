import Testing
import SwitchboardCore

/// The breaker as a pure state machine, fed instants by hand.
@Suite("Circuit breaker")
struct CircuitBreakerTests {
    let t0 = ContinuousClock.now

    @Test("consecutive failures open it; a success in between starts the count again")
    func consecutiveFailures() {
        var breaker = CircuitBreaker(settings: BreakerSettings(consecutiveFailures: 3), now: t0)
        #expect(breaker.record(failed: true, probe: false, now: t0) == nil)
        #expect(breaker.record(failed: true, probe: false, now: t0) == nil)
        #expect(breaker.record(failed: false, probe: false, now: t0) == nil)
        #expect(breaker.record(failed: true, probe: false, now: t0) == nil)
        #expect(breaker.record(failed: true, probe: false, now: t0) == nil)
        #expect(breaker.state == .closed)
        #expect(breaker.record(failed: true, probe: false, now: t0) == CircuitBreaker.Transition(from: .closed, to: .open))
        #expect(breaker.state == .open)
    }

    @Test("a failure rate over the window opens it, once the window holds enough attempts")
    func failureRate() {
        let settings = BreakerSettings(consecutiveFailures: 1000, failureRatePercent: 50, window: .seconds(60), minimumRequests: 10)
        var breaker = CircuitBreaker(settings: settings, now: t0)
        // Alternating: 50% failures, but the first 9 attempts are too few to judge.
        for index in 0..<9 {
            #expect(breaker.record(failed: index % 2 == 1, probe: false, now: t0 + .seconds(index)) == nil)
        }
        #expect(breaker.window(now: t0 + .seconds(9)) == (requests: 9, failures: 4))
        #expect(breaker.record(failed: true, probe: false, now: t0 + .seconds(9))?.to == .open)
    }

    @Test("failures older than the window no longer count")
    func windowSlides() {
        let settings = BreakerSettings(consecutiveFailures: 1000, failureRatePercent: 50, window: .seconds(10), minimumRequests: 4)
        var breaker = CircuitBreaker(settings: settings, now: t0)
        for _ in 0..<3 { _ = breaker.record(failed: true, probe: false, now: t0) }
        #expect(breaker.window(now: t0) == (requests: 3, failures: 3))
        // 20 s later the three failures have left the window: 1 failure of 4 is 25%.
        let later = t0 + .seconds(20)
        for _ in 0..<3 { _ = breaker.record(failed: false, probe: false, now: later) }
        #expect(breaker.record(failed: true, probe: false, now: later) == nil)
        #expect(breaker.window(now: later) == (requests: 4, failures: 1))
        #expect(breaker.state == .closed)
    }

    @Test("open rejects until the cool-down ends, then admits exactly one probe")
    func halfOpenProbe() {
        var breaker = CircuitBreaker(settings: BreakerSettings(consecutiveFailures: 1, openFor: .seconds(30)), now: t0)
        _ = breaker.record(failed: true, probe: false, now: t0)
        #expect(breaker.admit(now: t0 + .seconds(29)) == (.rejected(until: t0 + .seconds(30)), nil))
        #expect(!breaker.wouldAdmit(now: t0 + .seconds(29)))
        #expect(breaker.wouldAdmit(now: t0 + .seconds(30)))
        #expect(breaker.admit(now: t0 + .seconds(30)) == (.probe, CircuitBreaker.Transition(from: .open, to: .halfOpen)))
        #expect(breaker.admit(now: t0 + .seconds(31)) == (.rejected(until: nil), nil))
        #expect(!breaker.wouldAdmit(now: t0 + .seconds(31)))
        #expect(breaker.record(failed: false, probe: true, now: t0 + .seconds(32)) == CircuitBreaker.Transition(from: .halfOpen, to: .closed))
        #expect(breaker.admit(now: t0 + .seconds(32)) == (.allowed, nil))
    }

    @Test("a failed probe reopens it from the probe's time")
    func failedProbe() {
        var breaker = CircuitBreaker(settings: BreakerSettings(consecutiveFailures: 1, openFor: .seconds(30)), now: t0)
        _ = breaker.record(failed: true, probe: false, now: t0)
        _ = breaker.admit(now: t0 + .seconds(30))
        #expect(breaker.record(failed: true, probe: true, now: t0 + .seconds(31)) == CircuitBreaker.Transition(from: .halfOpen, to: .open))
        #expect(breaker.since == t0 + .seconds(31))
        #expect(breaker.admit(now: t0 + .seconds(60)).0 == .rejected(until: t0 + .seconds(61)))
    }

    @Test("late results of sends let through before it opened change nothing")
    func staleResultsIgnored() {
        var breaker = CircuitBreaker(settings: BreakerSettings(consecutiveFailures: 1, openFor: .seconds(30)), now: t0)
        _ = breaker.record(failed: true, probe: false, now: t0)
        #expect(breaker.record(failed: false, probe: false, now: t0 + .seconds(1)) == nil)
        #expect(breaker.state == .open)
        _ = breaker.admit(now: t0 + .seconds(30))
        #expect(breaker.record(failed: false, probe: false, now: t0 + .seconds(31)) == nil)
        #expect(breaker.state == .halfOpen)
    }
}
