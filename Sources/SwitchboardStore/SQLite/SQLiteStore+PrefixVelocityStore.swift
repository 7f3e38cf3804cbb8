package import Foundation
package import SwitchboardCore

/// Distinct numbers per prefix and blocked prefixes in the SQLite file, shared by every daemon on it.
extension SQLiteStore: PrefixVelocityStore {
    package func notePrefixSend(app: String, prefix: String, number: String, now: Date, rule: PrefixVelocityRule) async throws -> PrefixCheck {
        try await writer.inTransaction { connection in
            try Self.notePrefixSend(app: app, prefix: prefix, number: number, now: now, rule: rule, on: connection)
        }
    }

    /// ``notePrefixSend(app:prefix:number:now:rule:)`` inside the caller's transaction.
    static func notePrefixSend(
        app: String, prefix: String, number: String, now: Date, rule: PrefixVelocityRule, on connection: SQLiteDatabase
    ) throws -> PrefixCheck {
        let now = now.roundedToMicroseconds
        let nowMicros = Int(now.microsecondsSince1970)
        let key: [SQLiteValue] = [.text(app), .text(prefix)]
        if let block = try connection.first(
            "SELECT blocked_until_us, numbers FROM blocked_prefixes WHERE app = ?1 AND prefix = ?2 AND blocked_until_us > ?3",
            key + [.integer(nowMicros)]
        ) {
            return .blocked(
                until: Date(microsecondsSince1970: try block.integer("blocked_until_us", table: "blocked_prefixes")),
                newly: false, numbers: Int(try block.integer("numbers", table: "blocked_prefixes"))
            )
        }
        let windowStart = nowMicros - Int(rule.window.timeInterval * 1_000_000)
        try connection.execute(
            "DELETE FROM prefix_numbers WHERE app = ?1 AND prefix = ?2 AND seen_at_us <= ?3", key + [.integer(windowStart)]
        )
        try connection.execute(
            """
            INSERT INTO prefix_numbers (app, prefix, number, seen_at_us) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (app, prefix, number) DO UPDATE SET seen_at_us = excluded.seen_at_us
            """,
            key + [.text(number), .integer(nowMicros)]
        )
        let counted = try connection.first("SELECT count(*) AS numbers FROM prefix_numbers WHERE app = ?1 AND prefix = ?2", key)
        let numbers = Int(try counted?.integer("numbers", table: "prefix_numbers") ?? 0)
        guard rule.blocks(distinctNumbers: numbers) else { return .allowed }
        let until = now.adding(rule.blockFor).roundedToMicroseconds
        try connection.execute(
            """
            INSERT OR REPLACE INTO blocked_prefixes (app, prefix, blocked_at_us, blocked_until_us, numbers)
            VALUES (?1, ?2, ?3, ?4, ?5)
            """,
            key + [.integer(nowMicros), .integer(Int(until.microsecondsSince1970)), .integer(numbers)]
        )
        return .blocked(until: until, newly: true, numbers: numbers)
    }

    package func blockedPrefixes(now: Date) async throws -> [BlockedPrefix] {
        let nowMicros = Int(now.microsecondsSince1970)
        return try await writer.inTransaction { connection in
            try connection.query(
                """
                SELECT app, prefix, blocked_at_us, blocked_until_us, numbers FROM blocked_prefixes
                WHERE blocked_until_us > ?1 ORDER BY app, prefix
                """,
                [.integer(nowMicros)]
            ).map { row in
                BlockedPrefix(
                    app: try row.text("app", table: "blocked_prefixes"), prefix: try row.text("prefix", table: "blocked_prefixes"),
                    blockedAt: Date(microsecondsSince1970: try row.integer("blocked_at_us", table: "blocked_prefixes")),
                    until: Date(microsecondsSince1970: try row.integer("blocked_until_us", table: "blocked_prefixes")),
                    numbers: Int(try row.integer("numbers", table: "blocked_prefixes"))
                )
            }
        }
    }

    package func unblockPrefix(_ prefix: String, now: Date) async throws -> [String] {
        let nowMicros = Int(now.microsecondsSince1970)
        return try await writer.inTransaction { connection in
            let ended = try connection.query(
                "SELECT app FROM blocked_prefixes WHERE prefix = ?1 AND blocked_until_us > ?2 ORDER BY app", [.text(prefix), .integer(nowMicros)]
            ).map { try $0.text("app", table: "blocked_prefixes") }
            try connection.execute("DELETE FROM blocked_prefixes WHERE prefix = ?1", [.text(prefix)])
            try connection.execute("DELETE FROM prefix_numbers WHERE prefix = ?1", [.text(prefix)])
            return ended
        }
    }
}
