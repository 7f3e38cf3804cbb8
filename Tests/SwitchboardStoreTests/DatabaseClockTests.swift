import Foundation
import Testing

@testable import SwitchboardStore

/// How a daemon reads the database server's clock against its own (no server here).
@Suite struct DatabaseClockTests {
    private static let asked = Date(timeIntervalSince1970: 1_000)

    private static func reading(server: Double, answered: Double) -> DatabaseClock.Reading {
        DatabaseClock.Reading(server: Date(timeIntervalSince1970: server), askedAt: asked, answeredAt: Date(timeIntervalSince1970: answered))
    }

    @Test func theServersReadingIsPlacedHalfwayThroughTheRoundTripAndKnownToWithinHalfOfIt() {
        let inStep = Self.reading(server: 1_000.5, answered: 1_001)
        #expect(inStep.offset == .zero && inStep.roundTrip == .seconds(1))
        #expect(inStep.leastApart == .zero && inStep.mostApart == .milliseconds(500))
        let ahead = Self.reading(server: 1_060.5, answered: 1_001)
        #expect(ahead.offset == .seconds(60) && ahead.leastApart == .milliseconds(59_500) && ahead.mostApart == .milliseconds(60_500))
        #expect(Self.reading(server: 940, answered: 1_000).offset == .seconds(-60))
    }

    @Test func clocksSurelyMoreThanASecondApartAreReportedOnceEitherWayAndAgainOnlyOnceSurelyBackWithinHalfOfIt() {
        var clock = DatabaseClock()
        #expect(clock.observe(Self.reading(server: 1_000.9, answered: 1_000)) == .none)
        #expect(clock.observe(Self.reading(server: 998.8, answered: 1_000)) == .drifted)
        // Still apart, or hovering near the limit: nothing new.
        #expect(clock.observe(Self.reading(server: 910, answered: 1_000)) == .none)
        #expect(clock.observe(Self.reading(server: 1_000.8, answered: 1_000)) == .none)
        #expect(clock.drifted)
        #expect(clock.observe(Self.reading(server: 1_000.4, answered: 1_000)) == .agreed)
        #expect(clock.observe(Self.reading(server: 1_000.4, answered: 1_000)) == .none)
        #expect(clock.observe(Self.reading(server: 1_002, answered: 1_000)) == .drifted)
    }

    @Test func aSlowAnswerIsNoSignOfAClockOff() {
        var clock = DatabaseClock()
        // Asked, then three seconds before the answer came: the server's reading at the start of
        // the wait puts the midpoint 1.5 s ahead of it, but the clocks may well agree.
        #expect(clock.observe(Self.reading(server: 1_000, answered: 1_003)) == .none)
        #expect(!clock.drifted)
        // Seconds off even at the nearest point of the round trip: off.
        #expect(clock.observe(Self.reading(server: 1_004.5, answered: 1_001)) == .drifted)
        // Back, but the round trip leaves it unsure: still drifted.
        #expect(clock.observe(Self.reading(server: 1_001, answered: 1_002)) == .none)
        #expect(clock.drifted)
    }
}
