import Logging
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite("Credential failure throttling")
struct FailureCounterTests {
    static let start = ContinuousClock.now
    static func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    static var limits: CredentialFailureLimits {
        var limits = CredentialFailureLimits()
        limits.failures = 3
        limits.window = .seconds(60)
        limits.block = .seconds(30)
        return limits
    }

    @Test("the failure that reaches the limit within the window blocks for the block time, then the count starts afresh")
    func blocks() {
        var counter = FailureCounter(now: Self.at(0))
        let first = counter.recordFailure(now: Self.at(0), limits: Self.limits)
        let second = counter.recordFailure(now: Self.at(10), limits: Self.limits)
        #expect(!first && !second)
        #expect(counter.blocked(now: Self.at(10)) == nil)
        let third = counter.recordFailure(now: Self.at(20), limits: Self.limits)
        #expect(third)
        #expect(counter.blocked(now: Self.at(20)) == Self.at(50))
        #expect(counter.blocked(now: Self.at(49)) == Self.at(50))
        #expect(counter.blocked(now: Self.at(50)) == nil)
        let afterBlock = counter.recordFailure(now: Self.at(51), limits: Self.limits)
        #expect(!afterBlock, "one failure after the block is not a block")
    }

    @Test("failures spread wider than the window never block")
    func window() {
        var counter = FailureCounter(now: Self.at(0))
        for second in stride(from: 0, to: 600, by: 31) {
            let blocked = counter.recordFailure(now: Self.at(second), limits: Self.limits)
            #expect(!blocked)
        }
        #expect(counter.blocked(now: Self.at(600)) == nil)
    }

    @Test("the throttle blocks each source on its own and logs each block once")
    func registry() {
        let clock = ManualClock()
        let logs = LogRecords()
        let logger = logs.logger(label: "test")
        let throttle = CredentialThrottle(limits: Self.limits, now: { clock.now })
        let attacker: [CredentialThrottle.Source] = [.address("192.0.2.1"), .client("demo")]
        for _ in 0..<3 { throttle.recordFailure(attacker, logger: logger) }
        #expect(throttle.retryAfter(attacker) == .seconds(30))
        #expect(throttle.retryAfter([.client("demo")]) == .seconds(30), "the client is blocked from every address")
        #expect(throttle.retryAfter([.address("192.0.2.2"), .client("other")]) == nil)
        throttle.recordFailure(attacker, logger: logger)
        #expect(logs.all.filter { $0.level == .warning }.count == 2, "one line per source blocked, none for failures during the block")
        clock.advance(by: .seconds(31))
        #expect(throttle.retryAfter(attacker) == nil)
    }
}
