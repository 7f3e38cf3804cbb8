import SwitchboardCore

extension MessageRecord {
    /// The conflict clause of the SQLite store's message upserts, as ``supersedes(_:)`` decides: a
    /// save replaces the stored message only when it is newer, and on a tie a pending save never
    /// replaces a final one. It names the written rows (`RETURNING id`). PostgreSQL's
    /// `switchboard_save_messages` (its migration 12) holds the same clause.
    static let newerWinsConflict = """
        ON CONFLICT (id) DO UPDATE SET
            app = excluded.app, kind = excluded.kind, to_number = excluded.to_number,
            country = excluded.country, route = excluded.route, sender = excluded.sender,
            logged_text = excluded.logged_text, encoding = excluded.encoding, segments = excluded.segments,
            status = excluded.status, provider = excluded.provider,
            provider_message_id = excluded.provider_message_id,
            created_at_us = excluded.created_at_us, updated_at_us = excluded.updated_at_us
        WHERE excluded.updated_at_us > messages.updated_at_us
            OR (excluded.updated_at_us = messages.updated_at_us
                AND (excluded.status <> 'pending' OR messages.status = 'pending'))
        RETURNING id
        """
}
