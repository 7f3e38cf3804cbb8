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

    @Test func aCountOverTheLimitWaitsForTheSendWhoseLeavingBringsItBelow() {
        let limits = SendLimits(resendAfter: .zero, maxPerHour: 2)
        let recent = [-3000.0, -2000, -1000, -500].map { now.addingTimeInterval($0) }
        // Four counted, two allowed: three must leave, the one sent 1,000 s ago last.
        #expect(SendLimiter.decide(recent: recent.shuffled(), now: now, limits: limits) == .retryAfter(.seconds(2600)))
        let counted = RecentSends(count: 4, latest: recent.last, freeing: recent[2])
        #expect(SendLimiter.decide(counted, now: now, limits: limits) == .retryAfter(.seconds(2600)))
    }

    @Test func aCountAtTheLimitWithoutItsFreeingSendWaitsAFullHour() {
        let limits = SendLimits(resendAfter: .zero, maxPerHour: 2)
        let counted = RecentSends(count: 2, latest: now.addingTimeInterval(-10), freeing: nil)
        #expect(SendLimiter.decide(counted, now: now, limits: limits) == .retryAfter(.seconds(3600)))
    }
}
