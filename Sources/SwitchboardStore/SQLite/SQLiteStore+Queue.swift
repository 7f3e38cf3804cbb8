package import Foundation
package import SwitchboardCore

/// The queue of messages accepted for later delivery: the `queued` rows of the message log.
extension SQLiteStore {
    /// One transaction on the write connection, so no other claim (there is one writer) sees the
    /// rows between the choice and the update; it returns once the claim has committed to disk.
    package func claimQueued(limit: Int, at date: Date) async throws -> [MessageRecord] {
        guard limit > 0 else { return [] }
        let binds: [SQLiteValue] = [.integer(.init(date.microsecondsSince1970)), .integer(limit)]
        return try await writer.inTransaction { database -> [MessageRecord] in
            let ids = try database.query(MessageRecord.claimQueuedSQL, binds).map { try $0.text("id", table: "messages") }
            guard !ids.isEmpty else { return [] }
            let filter = "id IN (" + ids.indices.map { "?\($0 + 1)" }.joined(separator: ", ") + ")"
            let claimed = try MessageRecord.records(
                from: database.query(MessageRecord.selectSQL(where: filter, limit: "\(ids.count)"), ids.map { .text($0) })
            )
            // Read newest first; claimed and handed out oldest first.
            return claimed.reversed()
        }
    }

    package func countQueued() async throws -> Int {
        try await read { database in
            Int(try database.first(MessageRecord.countQueuedSQL)?.integer("queued", table: "messages") ?? 0)
        }
    }
}

extension MessageRecord {
    /// Marks the oldest queued messages pending, claimed at `?1` (microseconds), at most `?2` of them.
    /// The status is a literal so that SQLite walks the partial index of queued messages.
    static let claimQueuedSQL = """
        UPDATE messages SET status = 'pending', updated_at_us = ?1
        WHERE rowid IN (
            SELECT rowid FROM messages WHERE status = 'queued' ORDER BY created_at_us, rowid LIMIT ?2
        )
        RETURNING id
        """

    static let countQueuedSQL = "SELECT count(*) AS queued FROM messages WHERE status = 'queued'"
}
