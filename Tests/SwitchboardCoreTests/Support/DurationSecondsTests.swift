import Foundation
import SwitchboardCore
import Testing

@Suite struct DurationSecondsTests {
    @Test func retryAfterRoundsUpAndIsAtLeastOne() {
        #expect(Duration.seconds(5).retryAfterSeconds == 5)
        #expect(Duration.milliseconds(5001).retryAfterSeconds == 6)
        #expect(Duration.milliseconds(1).retryAfterSeconds == 1)
        #expect(Duration.zero.retryAfterSeconds == 1)
        #expect(Duration.seconds(-3).retryAfterSeconds == 1)
    }

    @Test func wholeSecondsRoundDown() {
        #expect(Duration.milliseconds(5999).wholeSeconds == 5)
    }

    @Test func datesMoveAndMeasureByDurations() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let later = start.adding(.milliseconds(2500))
        #expect(later.timeIntervalSince(start) == 2.5)
        #expect(later.duration(since: start) == .milliseconds(2500))
        #expect(start.duration(since: later) == .milliseconds(-2500))
        #expect(Duration.milliseconds(2500).timeInterval == 2.5)
    }
}
