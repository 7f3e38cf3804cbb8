package import Foundation
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: MessageStore {
    /// Saves the record and its attempts, unless the stored row was updated later, and returns once
    /// the batch holding the save has committed (``PostgresSaveWriter``).
    package func save(_ record: MessageRecord) async throws {
        try await saves.save(record)
    }

    /// Refuses while PostgreSQL is known to be out of reach (``PostgresPool``).
    package func checkWritable() throws {
        try pool.checkReachable()
    }

    package func message(id: String) async throws -> MessageRecord? {
        var binds = PostgresBindings()
        binds.append(id)
        let query = PostgresQuery(unsafeSQL: MessageRecord.postgresSelectSQL(where: "id = $1", limit: "1"), binds: binds)
        return try await attachingReceipts(try MessageRecord.records(from: try await pool.run(query, logger: logger))).first
    }

    package func recentMessages(to: String?, status: MessageStatus?, limit: Int) async throws -> [MessageRecord] {
        guard limit > 0 else { return [] }
        var binds = PostgresBindings()
        binds.append(limit)
        var conditions: [String] = []
        if let to {
            binds.append(to)
            conditions.append("to_number = $\(binds.count)")
        }
        if let status {
            binds.append(status.rawValue)
            conditions.append("status = $\(binds.count)")
        }
        let filter = conditions.isEmpty ? "true" : conditions.joined(separator: " AND ")
        let query = PostgresQuery(unsafeSQL: MessageRecord.postgresSelectSQL(where: filter, limit: "$1"), binds: binds)
        return try await attachingReceipts(try MessageRecord.records(from: try await pool.run(query, logger: logger)))
    }

    /// Closes the pending messages created and last updated (claimed) before `cutoff`. They are locked first, so that two
    /// daemons sweeping at once note each message once: the second finds them no longer pending.
    package func markInterrupted(createdBefore cutoff: Date, note: DeliveryAttempt) async throws -> Int {
        let cutoff = cutoff.microsecondsSince1970
        return try await transaction { connection in
            let locked = try await connection.run(
                "SELECT id FROM messages WHERE status = 'pending' AND created_at_us < \(cutoff) AND updated_at_us < \(cutoff) ORDER BY id FOR UPDATE",
                logger: logger
            )
            let ids = try locked.map { try $0.text("id") }
            guard !ids.isEmpty else { return 0 }
            try await connection.run(
                """
                INSERT INTO attempts (
                    message_id, attempt_number, provider, outcome, provider_code, provider_message,
                    provider_message_id, latency_us, started_at_us
                )
                SELECT m.id, 1 + coalesce((SELECT max(a.attempt_number) FROM attempts AS a WHERE a.message_id = m.id), 0),
                    \(note.provider), \(note.outcome.rawValue), \(note.providerCode), \(note.providerMessage.map { Data($0.utf8) }),
                    \(note.providerMessageID), \(note.latencyMicroseconds), \(note.startedAt.microsecondsSince1970)
                FROM messages AS m
                WHERE m.id = ANY(\(ids)) AND m.status = 'pending'
                """,
                logger: logger
            )
            let marked = try await connection.run(
                "UPDATE messages SET status = 'interrupted' WHERE id = ANY(\(ids)) AND status = 'pending' RETURNING id",
                logger: logger
            )
            return marked.count
        }
    }
}
