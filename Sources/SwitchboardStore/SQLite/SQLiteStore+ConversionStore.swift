package import Foundation
package import SwitchboardCore

/// Conversion counts in the SQLite file: one row per app, minute and scope, so every daemon on
/// the file counts the same sends and verifications.
extension SQLiteStore: ConversionStore {
    package func countConversionSend(app: String, scopes: [ConversionScope], at: Date, limits: [ConversionScope: Int]) async throws -> ConversionSendCount {
        let start = ConversionRule.bucketStart(containing: at.microsecondsSince1970)
        return try await writer.inTransaction { connection in
            // The writer runs one transaction at a time: what is read here is what the upsert adds to.
            for scope in scopes {
                guard let limit = limits[scope] else { continue }
                let row = try connection.first(
                    "SELECT sent FROM conversion_buckets WHERE app = ?1 AND bucket_start_us = ?2 AND scope = ?3",
                    [.text(app), .integer(Int(start)), .text(scope.key)]
                )
                if Int(try row?.integer("sent", table: "conversion_buckets") ?? 0) >= limit { return .slowed(scope) }
            }
            try Self.countConversionSend(ConversionSend(app: app, scopes: scopes, at: at), on: connection)
            return .counted
        }
    }

    /// Adds the send to its scopes' buckets, in the caller's transaction.
    static func countConversionSend(_ send: ConversionSend, on connection: SQLiteDatabase) throws {
        try addConversion(sent: 1, verified: 0, for: send, on: connection)
    }

    package func uncountConversionSend(app: String, scopes: [ConversionScope], at: Date) async throws {
        let start = ConversionRule.bucketStart(containing: at.microsecondsSince1970)
        try await writer.inTransaction { connection in
            for scope in scopes {
                try connection.execute(
                    "UPDATE conversion_buckets SET sent = sent - 1 WHERE app = ?1 AND bucket_start_us = ?2 AND scope = ?3 AND sent > 0",
                    [.text(app), .integer(Int(start)), .text(scope.key)]
                )
            }
        }
    }

    package func countConversionVerified(app: String, scopes: [ConversionScope], sentAt: Date) async throws {
        try await writer.inTransaction { connection in
            try Self.countConversionVerified(ConversionSend(app: app, scopes: scopes, at: sentAt), on: connection)
        }
    }

    /// Adds the verification of `send`'s code to its scopes' buckets, in the caller's transaction.
    static func countConversionVerified(_ send: ConversionSend, on connection: SQLiteDatabase) throws {
        try addConversion(sent: 0, verified: 1, for: send, on: connection)
    }

    /// Adds to the buckets of `send`'s scopes, creating those not there yet.
    private static func addConversion(sent: Int, verified: Int, for send: ConversionSend, on connection: SQLiteDatabase) throws {
        let start = ConversionRule.bucketStart(containing: send.at.microsecondsSince1970)
        for scope in send.scopes {
            try connection.execute(
                """
                INSERT INTO conversion_buckets (app, bucket_start_us, scope, sent, verified) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (app, bucket_start_us, scope) DO UPDATE SET sent = sent + excluded.sent, verified = verified + excluded.verified
                """,
                [.text(send.app), .integer(Int(start)), .text(scope.key), .integer(sent), .integer(verified)]
            )
        }
    }

    package func conversionTallies(app: String, since: Date, minSends: Int) async throws -> [ConversionTally] {
        let since = since.microsecondsSince1970
        return try await read { connection in
            try connection.query(
                """
                SELECT scope, sum(sent) AS sent, sum(verified) AS verified FROM conversion_buckets
                WHERE app = ?1 AND bucket_start_us >= ?2 GROUP BY scope HAVING sum(sent) >= ?3 ORDER BY scope
                """,
                [.text(app), .integer(Int(since)), .integer(minSends)]
            ).map { row in
                ConversionTally(
                    scope: ConversionScope(key: try row.text("scope", table: "conversion_buckets")),
                    sent: Int(try row.integer("sent", table: "conversion_buckets")),
                    verified: Int(try row.integer("verified", table: "conversion_buckets"))
                )
            }
        }
    }

    package func forgetConversion(_ scope: ConversionScope) async throws {
        try await writer.inTransaction { connection in
            try connection.execute("DELETE FROM conversion_buckets WHERE scope = ?1", [.text(scope.key)])
        }
    }
}

extension SQLiteStore: AbuseCounterRetention {
    package func purgeAbuseCounters(_ kind: AbuseCounterKind, before cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let (table, key, column) = Self.abuseTable(kind)
        // The tables have no rowid: rows are named by their primary key.
        let sql = "DELETE FROM \(table) WHERE (\(key)) IN (SELECT \(key) FROM \(table) WHERE \(column) < ?1 LIMIT ?2)"
        return try await writer.inTransaction { connection in
            try connection.execute(sql, [.integer(Int(cutoff.microsecondsSince1970)), .integer(limit)])
            return connection.changes
        }
    }

    /// The kind's table, its primary key and the time its rows age out by.
    private static func abuseTable(_ kind: AbuseCounterKind) -> (table: String, key: String, column: String) {
        switch kind {
        case .prefixNumbers: ("prefix_numbers", "app, prefix, number", "seen_at_us")
        case .blockedPrefixes: ("blocked_prefixes", "app, prefix", "blocked_until_us")
        case .sendBudgets: ("send_budgets", "key, window_start_us", "window_start_us")
        case .conversionBuckets: ("conversion_buckets", "app, bucket_start_us, scope", "bucket_start_us")
        }
    }
}
