package import SwitchboardCore

extension SQLiteStore {
    /// Saves the record, replacing any with the same id and all its attempts, and returns once the
    /// transaction holding it has committed to disk.
    package func save(_ record: MessageRecord) async throws {
        _ = try await writer.perform(.save(record))
    }

    package func message(id: String) async throws -> MessageRecord? {
        try await read { database in
            try MessageRecord.records(from: database.query(MessageRecord.selectSQL(where: "id = ?1", limit: "1"), [.text(id)])).first
        }
    }

    package func recentMessages(to: String?, limit: Int) async throws -> [MessageRecord] {
        guard limit > 0 else { return [] }
        return try await read { database in
            let rows =
                if let to {
                    try database.query(MessageRecord.selectSQL(where: "to_number = ?2", limit: "?1"), [.integer(limit), .text(to)])
                } else {
                    try database.query(MessageRecord.selectSQL(where: "1", limit: "?1"), [.integer(limit)])
                }
            return try MessageRecord.records(from: rows)
        }
    }
}
