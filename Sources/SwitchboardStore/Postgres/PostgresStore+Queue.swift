package import Foundation
import PostgresNIO
package import SwitchboardCore

/// The queue of messages accepted for later delivery: the `queued` rows of the shared message log.
extension PostgresStore {
    /// One transaction: the oldest queued rows no other daemon has locked are locked (`FOR UPDATE
    /// SKIP LOCKED`), so concurrent claimers take different messages instead of waiting on each
    /// other, and marked pending; it returns once the claim has committed. The choice is a
    /// materialized CTE: as an `IN (…)` subquery the planner may run it again per row, and its
    /// `LIMIT` then no longer bounds the claim.
    package func claimQueued(limit: Int, at date: Date) async throws -> [MessageRecord] {
        guard limit > 0 else { return [] }
        let claimedAt = date.microsecondsSince1970
        return try await transaction { connection -> [MessageRecord] in
            let ids = try await connection.run(
                """
                WITH oldest AS MATERIALIZED (
                    SELECT id FROM messages WHERE status = 'queued'
                    ORDER BY created_at_us, row_order LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE messages SET status = 'pending', updated_at_us = \(claimedAt)
                FROM oldest WHERE messages.id = oldest.id
                RETURNING messages.id
                """,
                logger: logger
            ).map { try $0.text("id") }
            guard !ids.isEmpty else { return [] }
            var binds = PostgresBindings()
            binds.append(ids)
            binds.append(ids.count)
            let query = PostgresQuery(unsafeSQL: MessageRecord.postgresSelectSQL(where: "id = ANY($1)", limit: "$2"), binds: binds)
            // Read newest first; claimed and handed out oldest first.
            return try MessageRecord.records(from: try await connection.run(query, logger: logger)).reversed()
        }
    }

    package func countQueued() async throws -> Int {
        let rows = try await pool.run("SELECT count(*) AS queued FROM messages WHERE status = 'queued'", logger: logger)
        return Int(try rows.first?.integer("queued") ?? 0)
    }
}
