package import Foundation
package import SwitchboardCore

extension SQLiteStore: RetentionStore {
    /// Pages one ``reclaimSpace()`` returns to the file system at most, so that it too is a short
    /// job between sends.
    static let reclaimedPagesPerCall = 2_000

    package func purge(_ kind: RetainedKind, endedBefore cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let sql = Self.purgeSQL(kind)
        let values: [SQLiteValue] = [.integer(Int(cutoff.microsecondsSince1970)), .integer(limit)]
        // A transaction of the writer's, so a batch shares the commit (and the wait for the disk)
        // of the sends queued beside it.
        return try await writer.inTransaction { database in
            try database.execute(sql, values)
            let purged = database.changes
            if kind == .messages {
                // The receipts of purged messages went with them (`ON DELETE CASCADE`); those that
                // matched no message go once as old.
                try database.execute(
                    "DELETE FROM receipts WHERE id IN (SELECT id FROM receipts WHERE message_id IS NULL AND received_at_us < ?1 LIMIT ?2)",
                    values
                )
            }
            return purged
        }
    }

    package func countPurgeable(_ kind: RetainedKind, endedBefore cutoff: Date) async throws -> Int {
        let sql = "SELECT count(*) AS due FROM \(Self.table(kind)) WHERE \(Self.agedOut(kind))"
        let cutoff: [SQLiteValue] = [.integer(Int(cutoff.microsecondsSince1970))]
        return try await read { database in
            Int(try database.first(sql, cutoff)?.integer("due", table: Self.table(kind)) ?? 0)
        }
    }

    /// Truncates up to ``reclaimedPagesPerCall`` free pages off the end of the file. A file
    /// created by a build before retention (not in incremental auto-vacuum mode) keeps its free pages for new
    /// rows instead: it stops growing, but does not shrink.
    package func reclaimSpace() async throws {
        try await writer.withConnection { database in
            try database.execute("PRAGMA incremental_vacuum(\(Self.reclaimedPagesPerCall))")
        }
    }

    /// The file's `auto_vacuum` mode: 0 none, 1 full, 2 incremental.
    package func autoVacuumMode() async throws -> Int {
        try await writer.withConnection { database in
            try database.first("PRAGMA auto_vacuum")?.values.first?.integerValue ?? -1
        }
    }

    private static func table(_ kind: RetainedKind) -> String {
        switch kind {
        case .messages: "messages"
        case .inbox: "inbox"
        case .sessions: "sessions"
        case .challenges: "otp_challenges"
        }
    }

    /// The condition on a row of ``table(_:)`` that it ended before `?1`.
    private static func agedOut(_ kind: RetainedKind) -> String {
        switch kind {
        case .messages:
            // Literals, not binds: only then can SQLite tell that queued and pending rows are out.
            "created_at_us < ?1 AND status IN (\(MessageStatus.purgeable.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
        case .inbox:
            "received_at_us < ?1"
        case .sessions:
            // A session cannot end before it starts, so the index of creation times narrows it first.
            """
            created_at_us < ?1 AND coalesce(
                revoked_at_us,
                (SELECT max(expires_at_us) FROM refresh_tokens WHERE refresh_tokens.session_id = sessions.id),
                created_at_us
            ) < ?1
            """
        case .challenges:
            "expires_at_us < ?1"
        }
    }

    /// Deletes the oldest `?2` rows of the kind that ended before `?1`; attempts and refresh
    /// tokens go with their rows (`ON DELETE CASCADE`).
    private static func purgeSQL(_ kind: RetainedKind) -> String {
        let (key, order) =
            switch kind {
            case .messages: ("rowid", "created_at_us")
            case .inbox: ("sequence", "received_at_us")
            case .sessions: ("id", "created_at_us")
            case .challenges: ("id", "expires_at_us")
            }
        return """
            DELETE FROM \(table(kind)) WHERE \(key) IN (
                SELECT \(key) FROM \(table(kind)) WHERE \(agedOut(kind)) ORDER BY \(order) LIMIT ?2
            )
            """
    }
}
