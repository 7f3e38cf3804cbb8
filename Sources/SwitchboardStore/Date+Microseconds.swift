import Foundation

extension Date {
    /// Microseconds between 1970 and 2001-01-01, the epoch `Date` counts from.
    private static let referenceDateMicroseconds: Int64 = 978_307_200_000_000

    /// Whole microseconds since 1970-01-01T00:00:00Z, rounded to the nearest.
    ///
    /// The arithmetic stays relative to `Date`'s own 2001 epoch and adds the 1970 offset as an
    /// integer: a `Double` near 1.7e9 seconds has a resolution of only about 0.24 µs, so going
    /// through `timeIntervalSince1970` could round a stored instant to its neighbour.
    var microsecondsSince1970: Int64 {
        Int64((timeIntervalSinceReferenceDate * 1_000_000).rounded()) + Self.referenceDateMicroseconds
    }

    /// The instant a whole number of microseconds after 1970-01-01T00:00:00Z.
    ///
    /// For every `Date` `d`, `Date(microsecondsSince1970: d.microsecondsSince1970)` is a fixed point:
    /// converting it again yields the identical `Date`. That is what lets stores round-trip exactly.
    init(microsecondsSince1970 microseconds: Int64) {
        self.init(timeIntervalSinceReferenceDate: Double(microseconds - Self.referenceDateMicroseconds) / 1_000_000)
    }

    /// This instant as the stores keep it: to the microsecond, like PostgreSQL's `timestamptz`.
    var roundedToMicroseconds: Date {
        Date(microsecondsSince1970: microsecondsSince1970)
    }
}
