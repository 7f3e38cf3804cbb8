import Foundation
import SwitchboardCore
import Testing

/// The send-limit rule, without a store.
@Suite("Send limiter")
struct SendLimiterTests {
    let now = Date(timeIntervalSinceReferenceDate: 800_000_000)

    @Test func withoutACooldownASendStampedJustAfterNowDoesNotMakeThisOneWait() {
        let limits = SendLimits(resendAfter: .zero, maxPerHour: 10)
        let decision = SendLimiter.decide(recent: [now.addingTimeInterval(0.000_05)], now: now, limits: limits)
        #expect(decision == nil)
    }

    @Test func withACooldownASendStampedJustAfterNowStillStartsIt() {
        let limits = SendLimits(resendAfter: .seconds(30), maxPerHour: 10)
        let decision = SendLimiter.decide(recent: [now.addingTimeInterval(0.5)], now: now, limits: limits)
        #expect(decision == .retryAfter(.milliseconds(30_500)))
    }

    @Test func theHourlyLimitHoldsWithoutACooldown() {
        let limits = SendLimits(resendAfter: .zero, maxPerHour: 2)
        let recent = [now.addingTimeInterval(-600), now.addingTimeInterval(-60)]
        let decision = SendLimiter.decide(recent: recent, now: now, limits: limits)
        #expect(decision == .retryAfter(.seconds(3000)))
    }
}
