package import SwitchboardCore

extension SQLiteStore: InboxStore {
    /// Appends the message and returns it with its sequence once it has committed to disk.
    package func deliver(_ message: InboxMessage) async throws -> InboxMessage {
        guard case .delivered(let delivered) = try await writer.perform(.deliver(message)) else {
            preconditionFailure("a deliver write produced another kind of result")
        }
        return delivered
    }

    package func inbox(to: String?, after sequence: Int64?, limit: Int) async throws -> [InboxMessage] {
        guard limit > 0 else { return [] }
        let binds: [SQLiteValue] = [.integer(.init(sequence ?? 0)), .integer(limit)] + (to.map { [.text($0)] } ?? [])
        let sql = InboxMessage.selectSQL(filtered: to != nil)
        return try await read { try $0.query(sql, binds).map(InboxMessage.init(row:)) }
    }

    package func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage] {
        guard limit > 0 else { return [] }
        let binds: [SQLiteValue] = [.integer(limit)] + (to.map { [.text($0)] } ?? [])
        let sql = InboxMessage.selectLatestSQL(filtered: to != nil)
        return try await read { try $0.query(sql, binds).map(InboxMessage.init(row:)).reversed() }
    }
}
