package import Foundation
package import SwitchboardCore

extension SQLiteStore: MessageStore {
    /// Saves the record, replacing any with the same id and all its attempts, and returns once the
    /// transaction holding it has committed to disk.
    package func save(_ record: MessageRecord) async throws {
        _ = try await writer.perform(.save(record))
    }

    /// Hands the save to the writer, whose queue keeps it ahead of every later save.
    package func saveWithoutWaiting(_ record: MessageRecord, failed: @escaping @Sendable (any Error) -> Void) -> Bool {
        writer.performWithoutWaiting(.save(record)) { result in
            if case .failure(let error) = result { failed(error) }
        }
        return true
    }

    package func message(id: String) async throws -> MessageRecord? {
        try await read { database in
            try MessageRecord.attachingReceipts(
                MessageRecord.records(from: database.query(MessageRecord.selectSQL(where: "id = ?1", limit: "1"), [.text(id)])), in: database
            ).first
        }
    }

    package func recentMessages(to: String?, status: MessageStatus?, limit: Int) async throws -> [MessageRecord] {
        guard limit > 0 else { return [] }
        var binds: [SQLiteValue] = [.integer(limit)]
        var conditions: [String] = []
        if let to {
            binds.append(.text(to))
            conditions.append("to_number = ?\(binds.count)")
        }
        if let status {
            // A literal, not a bind: only then can SQLite use the partial index of that status.
            conditions.append("status = '\(status.rawValue)'")
        }
        let filter = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        let sql = MessageRecord.selectSQL(where: filter, limit: "?1")
        let values = binds
        return try await read { database in
            try MessageRecord.attachingReceipts(MessageRecord.records(from: database.query(sql, values)), in: database)
        }
    }

    package func markInterrupted(createdBefore cutoff: Date, note: DeliveryAttempt) async throws -> Int {
        let cutoff = SQLiteValue.integer(.init(cutoff.microsecondsSince1970))
        let noteBinds = MessageRecord.interruptionNoteBinds(note)
        // One transaction: the notes and the new status appear together, or neither does.
        return try await writer.inTransaction { database in
            try database.execute(MessageRecord.insertInterruptionNotesSQL, [cutoff] + noteBinds)
            try database.execute(MessageRecord.markInterruptedSQL, [cutoff])
            return database.changes
        }
    }
}
