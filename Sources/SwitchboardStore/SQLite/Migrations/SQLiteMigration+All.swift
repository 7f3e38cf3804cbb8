extension SQLiteMigration {
    /// Every migration, oldest first.
    ///
    /// Dates are integer microseconds since 1970 (columns ending `_us`): exact, ordered, and the
    /// precision PostgreSQL keeps too. Tables are `STRICT` so that a wrong type is an error, not a
    /// silently coerced value.
    static let all: [SQLiteMigration] = [
        SQLiteMigration(
            version: 1,
            name: "messages, attempts and inbox",
            statements: [
                """
                CREATE TABLE messages (
                    id TEXT PRIMARY KEY NOT NULL,
                    app TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    to_number TEXT NOT NULL,
                    country TEXT NOT NULL,
                    route TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    logged_text TEXT NOT NULL,
                    encoding TEXT NOT NULL,
                    segments INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    provider TEXT,
                    provider_message_id TEXT,
                    created_at_us INTEGER NOT NULL,
                    updated_at_us INTEGER NOT NULL
                ) STRICT
                """,
                // Scanned backwards these give newest first, and the rowid every index entry ends
                // with breaks ties between messages created in the same microsecond.
                "CREATE INDEX messages_by_created ON messages (created_at_us)",
                "CREATE INDEX messages_by_to_created ON messages (to_number, created_at_us)",
                """
                CREATE TABLE attempts (
                    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                    attempt_number INTEGER NOT NULL,
                    provider TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    provider_code TEXT,
                    provider_message TEXT,
                    provider_message_id TEXT,
                    latency_us INTEGER NOT NULL,
                    started_at_us INTEGER NOT NULL,
                    PRIMARY KEY (message_id, attempt_number)
                ) STRICT, WITHOUT ROWID
                """,
                // AUTOINCREMENT, unlike a plain rowid, never hands out a sequence again after the
                // newest row is deleted, so a reader's cursor can never skip a message.
                """
                CREATE TABLE inbox (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    to_number TEXT NOT NULL,
                    from_number TEXT NOT NULL,
                    text TEXT NOT NULL,
                    encoding TEXT NOT NULL,
                    segments INTEGER NOT NULL,
                    received_at_us INTEGER NOT NULL
                ) STRICT
                """,
                "CREATE INDEX inbox_by_to_sequence ON inbox (to_number, sequence)",
            ]
        )
    ]
}
