package import Foundation
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: RetentionStore {
    /// Each batch is a transaction that first tries the retention advisory lock: while one daemon
    /// purges, the others' batches delete nothing, rather than fight over the same rows. Rows a
    /// send has locked are skipped (`SKIP LOCKED`), never waited for.
    package func purge(_ kind: RetainedKind, endedBefore cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let table = Self.table(kind)
        let (key, order) = Self.keyAndOrder(kind)
        let condition = Self.agedOut(kind, cutoff: cutoff.microsecondsSince1970)
        return try await transaction { connection in
            guard try await connection.tryLock(AdvisoryLock.retention, logger: logger) else { return 0 }
            let rows = try await connection.run(
                """
                WITH gone AS (
                    DELETE FROM \(unescaped: table) WHERE \(unescaped: key) IN (
                        SELECT \(unescaped: key) FROM \(unescaped: table) WHERE \(unescaped: condition)
                        ORDER BY \(unescaped: order) LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    )
                    RETURNING 1
                )
                SELECT count(*) AS gone FROM gone
                """,
                logger: logger
            )
            if kind == .messages {
                // The receipts of purged messages went with them (`ON DELETE CASCADE`); those that
                // matched no message go once as old.
                try await connection.run(
                    """
                    DELETE FROM receipts WHERE id IN (
                        SELECT id FROM receipts WHERE message_id IS NULL AND received_at_us < \(cutoff.microsecondsSince1970)
                        LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    )
                    """,
                    logger: logger
                )
            }
            return Int(try rows.first?.integer("gone") ?? 0)
        }
    }

    package func countPurgeable(_ kind: RetainedKind, endedBefore cutoff: Date) async throws -> Int {
        let condition = Self.agedOut(kind, cutoff: cutoff.microsecondsSince1970)
        let rows = try await pool.run(
            "SELECT count(*) AS due FROM \(unescaped: Self.table(kind)) WHERE \(unescaped: condition)", logger: logger
        )
        return Int(try rows.first?.integer("due") ?? 0)
    }

    /// PostgreSQL's autovacuum makes deleted rows' space reusable; nothing to do here.
    package func reclaimSpace() async throws {}

    private static func table(_ kind: RetainedKind) -> String {
        switch kind {
        case .messages: "messages"
        case .inbox: "inbox"
        case .sessions: "sessions"
        case .challenges: "otp_challenges"
        }
    }

    private static func keyAndOrder(_ kind: RetainedKind) -> (key: String, order: String) {
        switch kind {
        case .messages: ("id", "created_at_us")
        case .inbox: ("sequence", "received_at_us")
        case .sessions: ("id", "created_at_us")
        case .challenges: ("id", "expires_at_us")
        }
    }

    /// The condition on a row that it ended before `cutoff` (microseconds). The cutoff is written
    /// as a literal: it is a number this process computed, never outside input.
    private static func agedOut(_ kind: RetainedKind, cutoff: Int64) -> String {
        switch kind {
        case .messages:
            "created_at_us < \(cutoff) AND status IN (\(MessageStatus.purgeable.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
        case .inbox:
            "received_at_us < \(cutoff)"
        case .sessions:
            // A session cannot end before it starts, so the index of creation times narrows it first.
            """
            created_at_us < \(cutoff) AND coalesce(
                revoked_at_us,
                (SELECT max(expires_at_us) FROM refresh_tokens WHERE refresh_tokens.session_id = sessions.id),
                created_at_us
            ) < \(cutoff)
            """
        case .challenges:
            "expires_at_us < \(cutoff)"
        }
    }
}
