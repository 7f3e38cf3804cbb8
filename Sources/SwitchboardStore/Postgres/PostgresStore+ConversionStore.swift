package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// Conversion counts in the shared database: per app, minute and scope, spread over a few rows
/// (shards) that every daemon adds to with single upserts, so concurrent sends to one country do
/// not queue on one row's lock. A slowed scope's rate is checked under a lock on the scope.
extension PostgresStore: ConversionStore {
    /// The shard a write adds to, as SQL: its server process's, and a process runs one
    /// transaction at a time, so two transactions meet on a row only when their processes share
    /// a shard; with more shards than a few daemons' pools hold connections, that is rare.
    static let conversionShard = "(pg_backend_pid() % 64)::smallint"

    /// What a login statement counts under the conversion rule.
    enum ConversionCount: String {
        case sent, verified
    }

    /// The part of a login statement that counts its code under the conversion rule: a CTE named
    /// `counted` adding one to the `count` column of each scope's bucket, in scope order, if the
    /// CTE `step` answered `outcome`. The app, the bucket's start and the scopes are parameters
    /// `first`, `first + 1` and `first + 2` of the statement.
    static func conversionCount(adding count: ConversionCount, after step: String, answered outcome: String, first: Int) -> String {
        let (sent, verified) = count == .sent ? (1, 0) : (0, 1)
        let column = count.rawValue
        return """
            counted AS (
                INSERT INTO conversion_buckets (app, bucket_start_us, scope, shard, sent, verified)
                SELECT $\(first)::text, $\(first + 1)::bigint, scope, \(conversionShard), \(sent), \(verified)
                FROM unnest($\(first + 2)::text[]) AS s(scope)
                WHERE EXISTS (SELECT 1 FROM \(step) WHERE outcome = '\(outcome)')
                ORDER BY scope COLLATE "C"
                ON CONFLICT (app, bucket_start_us, scope, shard) DO UPDATE SET \(column) = conversion_buckets.\(column) + 1
            )
            """
    }

    /// A limited scope whose bucket is full: rolls back what the transaction counted before it.
    private struct ScopeFull: Error {
        let scope: ConversionScope
    }

    // Every write below touches a send's rows in one order, by scope key: two sends to one prefix
    // then wait for each other instead of each holding the row the other needs (a deadlock PostgreSQL
    // ends by failing one of them).

    package func countConversionSend(app: String, scopes: [ConversionScope], at: Date, limits: [ConversionScope: Int]) async throws -> ConversionSendCount {
        let start = ConversionRule.bucketStart(containing: at.microsecondsSince1970)
        if let closed = scopes.first(where: { (limits[$0] ?? 1) <= 0 }) { return .slowed(closed) }
        guard !limits.isEmpty else {
            try await addConversion(sent: 1, verified: 0, app: app, scopes: scopes, bucketStart: start, runner: pool)
            return .counted
        }
        do {
            return try await transaction { connection in
                for scope in scopes.sorted(by: { $0.key < $1.key }) {
                    if let limit = limits[scope] {
                        // The scope's lock, then its count: no other send can slip in between the read and the write.
                        try await connection.lock(AdvisoryLock.conversion(app: app, scope: scope.key), logger: logger)
                        let rows = try await connection.run(
                            """
                            SELECT coalesce(sum(sent), 0) AS sent FROM conversion_buckets
                            WHERE app = \(app) AND bucket_start_us = \(start) AND scope = \(scope.key)
                            """,
                            logger: logger
                        )
                        if try rows.first?.integer("sent") ?? 0 >= limit { throw ScopeFull(scope: scope) }
                    }
                    try await addConversion(sent: 1, verified: 0, app: app, scopes: [scope], bucketStart: start, runner: connection)
                }
                return .counted
            }
        } catch let full as ScopeFull {
            return .slowed(full.scope)
        }
    }

    package func uncountConversionSend(app: String, scopes: [ConversionScope], at: Date) async throws {
        // The send was counted in this bucket, so its total stays at zero or more even when the
        // shard taken back from is another one.
        let start = ConversionRule.bucketStart(containing: at.microsecondsSince1970)
        try await addConversion(sent: -1, verified: 0, app: app, scopes: scopes, bucketStart: start, runner: pool)
    }

    package func countConversionVerified(app: String, scopes: [ConversionScope], sentAt: Date) async throws {
        let start = ConversionRule.bucketStart(containing: sentAt.microsecondsSince1970)
        try await addConversion(sent: 0, verified: 1, app: app, scopes: scopes, bucketStart: start, runner: pool)
    }

    /// Adds to one shard of the buckets of `scopes` in one statement, creating those not there yet.
    private func addConversion(
        sent: Int, verified: Int, app: String, scopes: [ConversionScope], bucketStart: Int64, runner: some PostgresQueryRunner
    ) async throws {
        try await runner.run(
            """
            INSERT INTO conversion_buckets (app, bucket_start_us, scope, shard, sent, verified)
            SELECT \(app), \(bucketStart), scope, \(unescaped: Self.conversionShard), \(sent), \(verified) FROM unnest(\(scopes.map(\.key).sorted())::text[]) AS s(scope)
            ORDER BY scope COLLATE "C"
            ON CONFLICT (app, bucket_start_us, scope, shard) DO UPDATE
            SET sent = conversion_buckets.sent + excluded.sent, verified = conversion_buckets.verified + excluded.verified
            """,
            logger: logger
        )
    }

    package func conversionTallies(app: String, since: Date, minSends: Int) async throws -> [ConversionTally] {
        try await pool.run(
            """
            SELECT scope, sum(sent) AS sent, sum(verified) AS verified FROM conversion_buckets
            WHERE app = \(app) AND bucket_start_us >= \(since.microsecondsSince1970)
            GROUP BY scope HAVING sum(sent) >= \(minSends) ORDER BY scope COLLATE "C"
            """,
            logger: logger
        ).map { row in
            ConversionTally(scope: ConversionScope(key: try row.text("scope")), sent: Int(try row.integer("sent")), verified: Int(try row.integer("verified")))
        }
    }

    package func forgetConversion(_ scope: ConversionScope) async throws {
        try await pool.run("DELETE FROM conversion_buckets WHERE scope = \(scope.key)", logger: logger)
    }
}

extension PostgresStore: AbuseCounterRetention {
    package func purgeAbuseCounters(_ kind: AbuseCounterKind, before cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let (table, column) = Self.abuseTable(kind)
        // Rows a send has locked are skipped, never waited for; another daemon's purge skips these.
        let rows = try await pool.run(
            """
            WITH gone AS (
                DELETE FROM \(unescaped: table) WHERE ctid IN (
                    SELECT ctid FROM \(unescaped: table) WHERE \(unescaped: column) < \(cutoff.microsecondsSince1970)
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED
                )
                RETURNING 1
            )
            SELECT count(*) AS gone FROM gone
            """,
            logger: logger
        )
        return Int(try rows.first?.integer("gone") ?? 0)
    }

    /// The kind's table and the time its rows age out by.
    private static func abuseTable(_ kind: AbuseCounterKind) -> (table: String, column: String) {
        switch kind {
        case .prefixNumbers: ("prefix_numbers", "seen_at_us")
        case .blockedPrefixes: ("blocked_prefixes", "blocked_until_us")
        case .sendBudgets: ("send_budgets", "window_start_us")
        case .conversionBuckets: ("conversion_buckets", "bucket_start_us")
        }
    }
}
