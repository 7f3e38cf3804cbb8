import Foundation

/// How far the database server's clock is from this daemon's, and when that is worth a warning.
///
/// Each daemon judges the time limits the daemons share (send cooldowns and sends per hour, code
/// expiry, lockouts, token lifetimes) by its own clock against times other daemons wrote: two
/// daemons whose clocks are a minute apart hold a cooldown a minute short or long. The database's
/// clock is the one every daemon reaches, so each compares its own with it.
struct DatabaseClock: Sendable, Equatable {
    /// How far apart the clocks may be before a warning.
    static let tolerance: Duration = .seconds(1)

    /// One reading of the server's clock, taken between two of ours.
    struct Reading: Sendable, Equatable {
        /// The server's clock minus ours, the server's reading placed halfway through the round trip.
        let offset: Duration
        /// How long the round trip took: the server read its clock somewhere within it, so the
        /// offset is known to within half of it either way.
        let roundTrip: Duration

        init(server: Date, askedAt: Date, answeredAt: Date) {
            roundTrip = .seconds(answeredAt.timeIntervalSince(askedAt))
            offset = .seconds(server.timeIntervalSince(askedAt)) - roundTrip / 2
        }

        /// The least the clocks can be apart.
        var leastApart: Duration { max(.zero, Self.magnitude(offset) - roundTrip / 2) }
        /// The most they can be apart.
        var mostApart: Duration { Self.magnitude(offset) + roundTrip / 2 }

        private static func magnitude(_ duration: Duration) -> Duration {
            duration < .zero ? .zero - duration : duration
        }
    }

    /// What a new reading changes.
    enum Change: Sendable, Equatable {
        case none
        /// The clocks are surely further apart than ``tolerance``.
        case drifted
        /// They are surely back within half of it, after a ``drifted``.
        case agreed
    }

    private(set) var drifted = false

    /// Takes a new reading. Surely, whatever the round trip hides: a slow answer is no sign of a
    /// clock off. Half the tolerance on the way back, so that clocks hovering at the limit are not
    /// reported at every reading.
    mutating func observe(_ reading: Reading) -> Change {
        if !drifted, reading.leastApart > Self.tolerance {
            drifted = true
            return .drifted
        }
        if drifted, reading.mostApart <= Self.tolerance / 2 {
            drifted = false
            return .agreed
        }
        return .none
    }
}
