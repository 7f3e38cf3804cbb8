import Testing
@testable import SwitchboardCore

/// The retry schedule of webhook events: doubling from the base, capped, half of each step fixed
/// and half given by the random fraction.
@Suite("Webhook backoff")
struct WebhookBackoffTests {
    let backoff = WebhookBackoff(base: .seconds(5), cap: .seconds(3600))

    @Test func withNoJitterEachStepIsHalfTheDoublingSchedule() {
        let delays = (1...5).map { backoff.delay(afterAttempt: $0, random: 0) }
        #expect(delays == [.milliseconds(2500), .seconds(5), .seconds(10), .seconds(20), .seconds(40)])
    }

    @Test func withFullJitterEachStepIsTheWholeDoublingSchedule() {
        let delays = (1...5).map { backoff.delay(afterAttempt: $0, random: 0.999_999) }
        #expect(delays.map { $0.components.seconds } == [4, 9, 19, 39, 79])
        #expect(backoff.delay(afterAttempt: 2, random: 0.5) == .milliseconds(7500))
    }

    @Test func theStepStopsGrowingAtTheCap() {
        #expect(backoff.delay(afterAttempt: 11, random: 0) == .seconds(1800))
        #expect(backoff.delay(afterAttempt: 12, random: 0) == .seconds(1800))
        #expect(backoff.delay(afterAttempt: 1_000, random: 0) == .seconds(1800))
        #expect(backoff.delay(afterAttempt: 1_000, random: 1) == .seconds(3600))
    }

    @Test func aFractionOutsideZeroToOneIsClamped() {
        #expect(backoff.delay(afterAttempt: 1, random: -3) == .milliseconds(2500))
        #expect(backoff.delay(afterAttempt: 1, random: 7) == .seconds(5))
    }

    /// How many tries fit in the default day: the schedule, walked as the delivery service walks it.
    @Test func aDayOfRetriesWithTheStandardScheduleIsFortyOneTries() {
        var elapsed: Duration = .zero
        var tries = 1
        while true {
            let next = elapsed + WebhookBackoff.standard.delay(afterAttempt: tries, random: 0.5)
            if next > .seconds(24 * 3600) { break }
            elapsed = next
            tries += 1
        }
        // Ten doubling steps, then one every 45 minutes (the capped step at the middle fraction).
        #expect(tries == 41)
    }
}
