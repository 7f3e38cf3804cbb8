package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// Distinct numbers per prefix and blocked prefixes in the shared database: every daemon counts
/// the same numbers, under the prefix's advisory lock.
extension PostgresStore: PrefixVelocityStore {
    package func notePrefixSend(app: String, prefix: String, number: String, now: Date, rule: PrefixVelocityRule) async throws -> PrefixCheck {
        let now = now.roundedToMicroseconds
        let nowMicros = now.microsecondsSince1970
        let windowStart = nowMicros - Int64(rule.window.timeInterval * 1_000_000)
        return try await transaction { connection in
            try await connection.lock(AdvisoryLock.prefix(app: app, prefix: prefix), logger: logger)
            let blocked = try await connection.run(
                """
                SELECT blocked_until_us, numbers FROM blocked_prefixes
                WHERE app = \(app) AND prefix = \(prefix) AND blocked_until_us > \(nowMicros)
                """,
                logger: logger
            )
            if let block = blocked.first {
                return .blocked(until: try block.date("blocked_until_us"), newly: false, numbers: Int(try block.integer("numbers")))
            }
            // A statement's own changes are not visible to its SELECT: count the others, add this one.
            let counted = try await connection.run(
                """
                WITH pruned AS (
                    DELETE FROM prefix_numbers WHERE app = \(app) AND prefix = \(prefix) AND seen_at_us <= \(windowStart)
                ), noted AS (
                    INSERT INTO prefix_numbers (app, prefix, number, seen_at_us) VALUES (\(app), \(prefix), \(number), \(nowMicros))
                    ON CONFLICT (app, prefix, number) DO UPDATE SET seen_at_us = excluded.seen_at_us
                    RETURNING number
                )
                SELECT (SELECT count(*) FROM prefix_numbers
                        WHERE app = \(app) AND prefix = \(prefix) AND seen_at_us > \(windowStart) AND number <> \(number)) AS others
                FROM noted
                """,
                logger: logger
            )
            let numbers = Int(try counted.first?.integer("others") ?? 0) + 1
            guard rule.blocks(distinctNumbers: numbers) else { return .allowed }
            let until = now.adding(rule.blockFor).roundedToMicroseconds
            try await connection.run(
                """
                INSERT INTO blocked_prefixes (app, prefix, blocked_at_us, blocked_until_us, numbers)
                VALUES (\(app), \(prefix), \(nowMicros), \(until.microsecondsSince1970), \(numbers))
                ON CONFLICT (app, prefix) DO UPDATE SET
                    blocked_at_us = excluded.blocked_at_us, blocked_until_us = excluded.blocked_until_us, numbers = excluded.numbers
                """,
                logger: logger
            )
            return .blocked(until: until, newly: true, numbers: numbers)
        }
    }

    package func blockedPrefixes(now: Date) async throws -> [BlockedPrefix] {
        try await pool.run(
            """
            SELECT app, prefix, blocked_at_us, blocked_until_us, numbers FROM blocked_prefixes
            WHERE blocked_until_us > \(now.microsecondsSince1970) ORDER BY app, prefix
            """,
            logger: logger
        ).map { row in
            BlockedPrefix(
                app: try row.text("app"), prefix: try row.text("prefix"), blockedAt: try row.date("blocked_at_us"),
                until: try row.date("blocked_until_us"), numbers: Int(try row.integer("numbers"))
            )
        }
    }

    package func unblockPrefix(_ prefix: String, now: Date) async throws -> [String] {
        try await transaction { connection in
            let ended = try await connection.run(
                """
                WITH forgotten AS (DELETE FROM prefix_numbers WHERE prefix = \(prefix))
                DELETE FROM blocked_prefixes WHERE prefix = \(prefix) RETURNING app, blocked_until_us
                """,
                logger: logger
            )
            return try ended.filter { try $0.integer("blocked_until_us") > now.microsecondsSince1970 }.map { try $0.text("app") }.sorted()
        }
    }
}
