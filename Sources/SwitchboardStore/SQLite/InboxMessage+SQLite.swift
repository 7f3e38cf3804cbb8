import Foundation
import SwitchboardCore

/// How an ``InboxMessage`` maps to the `inbox` table.
extension InboxMessage {
    /// Appends the message; `RETURNING` hands back the sequence SQLite chose.
    static let insertSQL = """
        INSERT INTO inbox (id, message_id, to_number, from_number, text, encoding, segments, received_at_us)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        RETURNING sequence
        """

    /// The values bound to ``insertSQL``; the message's own `sequence` is ignored.
    var insertBinds: [SQLiteValue] {
        [
            .text(id), .text(messageID), .text(to), .text(from), .text(text), .text(encoding.rawValue),
            .integer(segments), .integer(.init(receivedAt.microsecondsSince1970)),
        ]
    }

    /// Messages after the sequence bound to `?1`, oldest first, at most `?2` of them, and only to the
    /// number bound to `?3` when `filtered`. Separate texts rather than `?3 IS NULL OR ...`, which
    /// would keep SQLite from using the `(to_number, sequence)` index.
    static func selectSQL(filtered: Bool) -> String {
        """
        SELECT sequence, id, message_id, to_number, from_number, text, encoding,
            segments, received_at_us
        FROM inbox
        WHERE sequence > ?1\(filtered ? " AND to_number = ?3" : "")
        ORDER BY sequence
        LIMIT ?2
        """
    }

    /// The newest `?1` rows, optionally to `?2`; newest first.
    static func selectLatestSQL(filtered: Bool) -> String {
        """
        SELECT sequence, id, message_id, to_number, from_number, text, encoding,
            segments, received_at_us
        FROM inbox
        \(filtered ? "WHERE to_number = ?2" : "")
        ORDER BY sequence DESC
        LIMIT ?1
        """
    }

    /// Reads a row of ``selectSQL(filtered:)`` or ``selectLatestSQL(filtered:)``.
    init(row: SQLiteRow) throws {
        let table = "inbox"
        self.init(
            sequence: try row.integer("sequence", table: table),
            id: try row.text("id", table: table),
            messageID: try row.text("message_id", table: table),
            to: try row.text("to_number", table: table),
            from: try row.text("from_number", table: table),
            text: try row.text("text", table: table),
            encoding: try row.value("encoding", table: table, as: SMSEncoding.self),
            segments: Int(try row.integer("segments", table: table)),
            receivedAt: Date(microsecondsSince1970: try row.integer("received_at_us", table: table))
        )
    }
}
