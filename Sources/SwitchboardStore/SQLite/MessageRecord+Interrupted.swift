import Foundation
import SwitchboardCore

/// The statements that close messages left `pending` as `interrupted` (``SQLiteStore/markInterrupted(createdBefore:note:)``).
///
/// The status is written as a literal so that SQLite finds the rows through the partial index of
/// pending messages rather than by reading every message.
extension MessageRecord {
    /// Appends the note after any attempts the message has, for each message the mark will close.
    /// Binds the cutoff (`?1`, microseconds) and then ``interruptionNoteBinds(_:)``.
    static let insertInterruptionNotesSQL = """
        INSERT INTO attempts (
            message_id, attempt_number, provider, outcome, provider_code, provider_message,
            provider_message_id, latency_us, started_at_us
        )
        SELECT m.id, 1 + coalesce((SELECT max(a.attempt_number) FROM attempts AS a WHERE a.message_id = m.id), 0),
            ?2, ?3, ?4, ?5, ?6, ?7, ?8
        FROM messages AS m
        WHERE m.status = 'pending' AND m.created_at_us < ?1 AND m.updated_at_us < ?1
        """

    /// Closes the same messages; `updated_at_us` is left alone so that a real outcome saved later still wins.
    static let markInterruptedSQL = """
        UPDATE messages SET status = 'interrupted' WHERE status = 'pending' AND created_at_us < ?1 AND updated_at_us < ?1
        """

    /// The note's values for ``insertInterruptionNotesSQL``, in its order from `?2`.
    static func interruptionNoteBinds(_ note: DeliveryAttempt) -> [SQLiteValue] {
        [
            .text(note.provider), .text(note.outcome.rawValue), note.providerCode.map(SQLiteValue.text) ?? .null,
            note.providerMessage.map(SQLiteValue.text) ?? .null, note.providerMessageID.map(SQLiteValue.text) ?? .null,
            .integer(.init(note.latencyMicroseconds)), .integer(.init(note.startedAt.microsecondsSince1970)),
        ]
    }
}
