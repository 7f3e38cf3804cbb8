import Foundation
import Logging
import PostgresNIO
import SwitchboardCore

/// Every daemon sharing the database judges time limits against times the others wrote, so each
/// compares its clock with the server's (``DatabaseClock``): when the pool starts, then every
/// ``clockCheckInterval``. A daemon whose clock is more than a second off says so in its log, and
/// the offset is in its metrics.
extension PostgresPool {
    static let clockCheckInterval: Duration = .seconds(60)

    /// Reads the server's clock until cancelled; a reading the server cannot give (out of reach)
    /// is skipped, the watch logs that.
    func checkClock() async {
        var databaseClock = DatabaseClock()
        while !Task.isCancelled {
            if let reading = try? await readServerClock() {
                observer?.clockOffsetMeasured(reading.offset)
                let seconds = String(format: "%+.3f s", reading.offset.timeInterval)
                switch databaseClock.observe(reading) {
                case .drifted:
                    logger.warning(
                        "PostgreSQL's clock and this daemon's are more than \(DatabaseClock.tolerance.configText) apart: limits the daemons share (send cooldowns and sends per hour, code expiry, lockouts, token lifetimes) are off by as much; synchronise every daemon's clock (NTP)",
                        metadata: ["sb.store.clock_offset": "\(seconds)"]
                    )
                case .agreed:
                    logger.notice("PostgreSQL's clock and this daemon's agree again", metadata: ["sb.store.clock_offset": "\(seconds)"])
                case .none:
                    break
                }
            }
            try? await Task.sleep(for: Self.clockCheckInterval)
        }
    }

    /// The server's clock read between two of this daemon's, once a connection is in hand (a wait
    /// for one would count as round trip); `nil` if the server answered no row.
    func readServerClock() async throws -> DatabaseClock.Reading? {
        try await withConnection { connection in
            let askedAt = clock.date
            let rows = try await connection.run(PostgresQuery(unsafeSQL: "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint"), logger: logger)
            let answeredAt = clock.date
            guard let micros = try rows.first?[0].decode(Int64.self) else { return nil }
            return DatabaseClock.Reading(server: Date(timeIntervalSince1970: Double(micros) / 1_000_000), askedAt: askedAt, answeredAt: answeredAt)
        }
    }
}
