import SwitchboardCore

extension MessageRecord {
    /// The conflict clause of the SQLite store's message upserts, as ``supersedes(_:)`` decides: a
    /// save replaces the stored message only when it is newer, and on a tie a pending save never
    /// replaces a final one. It names the written rows (`RETURNING id`). PostgreSQL's
    /// `switchboard_save_messages` (its migration 12) holds the same condition.
    ///
    /// It leaves the number and the creation time as they are: every save of a message carries
    /// the same ones (``MessageStore/save(_:)``), and SQLite rewrites the entries of every index on
    /// a column the update sets, whether or not its value changed, so setting them would move two
    /// index entries of every message each time its outcome is saved.
    static let newerWinsConflict = """
        ON CONFLICT (id) DO UPDATE SET
            app = excluded.app, kind = excluded.kind,
            country = excluded.country, route = excluded.route, sender = excluded.sender,
            logged_text = excluded.logged_text, encoding = excluded.encoding, segments = excluded.segments,
            status = excluded.status, provider = excluded.provider,
            provider_message_id = excluded.provider_message_id,
            updated_at_us = excluded.updated_at_us
        WHERE excluded.updated_at_us > messages.updated_at_us
            OR (excluded.updated_at_us = messages.updated_at_us
                AND (excluded.status <> 'pending' OR messages.status = 'pending'))
        RETURNING id
        """
}
