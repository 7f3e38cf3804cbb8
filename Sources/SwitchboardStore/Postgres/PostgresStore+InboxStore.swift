import Foundation
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: InboxStore {
    /// Appends the message and returns it with its sequence once committed.
    ///
    /// Deliveries take turns (a table lock held to the commit), so sequences become visible in
    /// order: a reader following the inbox from its last sequence never passes one that a slower
    /// transaction commits later.
    package func deliver(_ message: InboxMessage) async throws -> InboxMessage {
        try await transaction { connection in
            try await connection.run("LOCK TABLE inbox IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            let rows = try await connection.run(
                """
                INSERT INTO inbox (id, message_id, to_number, from_number, text, encoding, segments, received_at_us)
                VALUES (\(message.id), \(message.messageID), \(message.to), \(message.from), \(Data(message.text.utf8)),
                    \(message.encoding.rawValue), \(message.segments), \(message.receivedAt.microsecondsSince1970))
                RETURNING sequence
                """,
                logger: logger
            )
            var delivered = message
            delivered.sequence = try rows[0].integer("sequence")
            delivered.receivedAt = message.receivedAt.roundedToMicroseconds
            return delivered
        }
    }

    package func inbox(to: String?, after sequence: Int64?, limit: Int) async throws -> [InboxMessage] {
        guard limit > 0 else { return [] }
        let after = sequence ?? 0
        let query: PostgresQuery =
            if let to {
                "SELECT \(unescaped: InboxMessage.columns) FROM inbox WHERE sequence > \(after) AND to_number = \(to) ORDER BY sequence LIMIT \(limit)"
            } else {
                "SELECT \(unescaped: InboxMessage.columns) FROM inbox WHERE sequence > \(after) ORDER BY sequence LIMIT \(limit)"
            }
        return try await pool.run(query, logger: logger).map(InboxMessage.init(row:))
    }

    package func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage] {
        guard limit > 0 else { return [] }
        let query: PostgresQuery =
            if let to {
                "SELECT \(unescaped: InboxMessage.columns) FROM inbox WHERE to_number = \(to) ORDER BY sequence DESC LIMIT \(limit)"
            } else {
                "SELECT \(unescaped: InboxMessage.columns) FROM inbox ORDER BY sequence DESC LIMIT \(limit)"
            }
        return try await pool.run(query, logger: logger).map(InboxMessage.init(row:)).reversed()
    }
}

extension InboxMessage {
    static let columns = "sequence, id, message_id, to_number, from_number, text, encoding, segments, received_at_us"

    init(row: PostgresRandomAccessRow) throws {
        self.init(
            sequence: try row.integer("sequence"),
            id: try row.text("id"),
            messageID: try row.text("message_id"),
            to: try row.text("to_number"),
            from: try row.text("from_number"),
            text: try row.utf8("text"),
            encoding: try row.value("encoding", table: "inbox", as: SMSEncoding.self),
            segments: Int(try row.integer("segments")),
            receivedAt: try row.date("received_at_us")
        )
    }
}
