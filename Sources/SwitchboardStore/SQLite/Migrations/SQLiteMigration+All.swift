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
        ),
        SQLiteMigration(
            version: 2,
            name: "OTP login: users, memberships, challenges, lockouts, send counters, secrets, sessions",
            statements: [
                // Identifiers are unique in the tenant: one person, one user, whatever the app.
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    phone_number TEXT UNIQUE,
                    phone_verified INTEGER NOT NULL,
                    phone_verified_at_us INTEGER,
                    email TEXT UNIQUE,
                    username TEXT UNIQUE,
                    external_user_id TEXT,
                    name_json TEXT,
                    custom_data_json TEXT,
                    status TEXT NOT NULL,
                    created_at_us INTEGER NOT NULL,
                    updated_at_us INTEGER NOT NULL
                ) STRICT
                """,
                """
                CREATE TABLE app_members (
                    app TEXT NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    created_at_us INTEGER NOT NULL,
                    PRIMARY KEY (app, user_id)
                ) STRICT, WITHOUT ROWID
                """,
                // One live code per user and app: a new send replaces the row.
                """
                CREATE TABLE otp_challenges (
                    app TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    id TEXT NOT NULL UNIQUE,
                    code_hash BLOB NOT NULL,
                    request_id TEXT,
                    sent_to TEXT,
                    approval_data_json TEXT,
                    created_at_us INTEGER NOT NULL,
                    expires_at_us INTEGER NOT NULL,
                    PRIMARY KEY (app, user_id)
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE otp_failures (
                    app TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    failures INTEGER NOT NULL,
                    locked_until_us INTEGER,
                    PRIMARY KEY (app, user_id)
                ) STRICT, WITHOUT ROWID
                """,
                "CREATE TABLE otp_sends (key TEXT NOT NULL, sent_at_us INTEGER NOT NULL) STRICT",
                "CREATE INDEX otp_sends_by_key ON otp_sends (key, sent_at_us)",
                """
                CREATE TABLE secrets (
                    name TEXT PRIMARY KEY NOT NULL,
                    value BLOB NOT NULL,
                    created_at_us INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    app TEXT NOT NULL,
                    client_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    auth_time_us INTEGER NOT NULL,
                    created_at_us INTEGER NOT NULL,
                    revoked_at_us INTEGER
                ) STRICT
                """,
                // Only SHA-256 hashes of refresh tokens are kept.
                """
                CREATE TABLE refresh_tokens (
                    hash BLOB PRIMARY KEY NOT NULL,
                    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                    created_at_us INTEGER NOT NULL,
                    expires_at_us INTEGER NOT NULL,
                    rotated_at_us INTEGER
                ) STRICT, WITHOUT ROWID
                """,
            ]
        ),
        SQLiteMigration(
            version: 3,
            name: "messages: partial indexes of pending and interrupted messages",
            statements: [
                // A starting daemon closes the pending messages an earlier one left behind, and
                // `switchboard messages --status interrupted` lists them: both without reading every
                // message. Only rows in the status are in each index, so they stay small.
                "CREATE INDEX messages_pending_by_created ON messages (created_at_us) WHERE status = 'pending'",
                "CREATE INDEX messages_interrupted_by_created ON messages (created_at_us) WHERE status = 'interrupted'",
            ]
        ),
        SQLiteMigration(
            version: 4,
            name: "users owned by an app: identifiers unique per owner, not in the whole store",
            statements: [
                // Apps that do not share users may each have their own user with the same phone
                // number, so the store-wide UNIQUE constraints go; SQLite cannot drop a constraint,
                // so the table is rebuilt. Sharing groups come from the configuration and may change,
                // so uniqueness within a group is kept by `createUser`'s transaction.
                """
                CREATE TABLE users_owned (
                    id TEXT PRIMARY KEY NOT NULL,
                    owner_app TEXT NOT NULL,
                    phone_number TEXT,
                    phone_verified INTEGER NOT NULL,
                    phone_verified_at_us INTEGER,
                    email TEXT,
                    username TEXT,
                    external_user_id TEXT,
                    name_json TEXT,
                    custom_data_json TEXT,
                    status TEXT NOT NULL,
                    created_at_us INTEGER NOT NULL,
                    updated_at_us INTEGER NOT NULL,
                    UNIQUE (owner_app, phone_number),
                    UNIQUE (owner_app, email),
                    UNIQUE (owner_app, username)
                ) STRICT
                """,
                // An existing user is owned by the app it joined first, the one that created it.
                // Every user was created with a membership; one without would be owned by no app.
                """
                INSERT INTO users_owned (id, owner_app, phone_number, phone_verified, phone_verified_at_us, email, username,
                    external_user_id, name_json, custom_data_json, status, created_at_us, updated_at_us)
                SELECT id,
                    coalesce((SELECT m.app FROM app_members m WHERE m.user_id = users.id ORDER BY m.created_at_us, m.app LIMIT 1), ''),
                    phone_number, phone_verified, phone_verified_at_us, email, username, external_user_id, name_json,
                    custom_data_json, status, created_at_us, updated_at_us
                FROM users
                """,
                // Memberships move to a table that refers to the new one before the old `users` is
                // dropped: with foreign keys on, dropping it would cascade to the memberships.
                """
                CREATE TABLE app_members_owned (
                    app TEXT NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users_owned (id) ON DELETE CASCADE,
                    created_at_us INTEGER NOT NULL,
                    PRIMARY KEY (app, user_id)
                ) STRICT, WITHOUT ROWID
                """,
                "INSERT INTO app_members_owned (app, user_id, created_at_us) SELECT app, user_id, created_at_us FROM app_members",
                "DROP TABLE app_members",
                "DROP TABLE users",
                // Renaming also rewrites the memberships' foreign key to the new name.
                "ALTER TABLE users_owned RENAME TO users",
                "ALTER TABLE app_members_owned RENAME TO app_members",
            ]
        ),
        SQLiteMigration(
            version: 5,
            name: "OTP challenges: the verify provider that owns the code",
            statements: [
                // Set when a verify provider (Mosaic, Twilio Verify) sent its own code in place of
                // ours: authenticate then asks that provider. Existing challenges keep our codes.
                "ALTER TABLE otp_challenges ADD COLUMN owner TEXT",
            ]
        ),
        SQLiteMigration(
            version: 6,
            name: "messages: partial index of queued messages",
            statements: [
                // Workers claim the oldest queued messages; only queued rows are in the index, and
                // the rowid each entry ends with keeps messages of one microsecond in save order.
                "CREATE INDEX messages_queued_by_created ON messages (created_at_us) WHERE status = 'queued'"
            ]
        ),
        SQLiteMigration(
            version: 7,
            name: "abuse defence: send budgets per window, numbers seen per prefix, blocked prefixes",
            statements: [
                """
                CREATE TABLE send_budgets (
                    key TEXT NOT NULL,
                    window_start_us INTEGER NOT NULL,
                    sends INTEGER NOT NULL,
                    refused INTEGER NOT NULL,
                    PRIMARY KEY (key, window_start_us)
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE prefix_numbers (
                    app TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    number TEXT NOT NULL,
                    seen_at_us INTEGER NOT NULL,
                    PRIMARY KEY (app, prefix, number)
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE blocked_prefixes (
                    app TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    blocked_at_us INTEGER NOT NULL,
                    blocked_until_us INTEGER NOT NULL,
                    numbers INTEGER NOT NULL,
                    PRIMARY KEY (app, prefix)
                ) STRICT, WITHOUT ROWID
                """,
            ]
        ),
        SQLiteMigration(
            version: 8,
            name: "retention: indexes to find what has aged out",
            statements: [
                // The purge takes the oldest rows of each kind a bounded batch at a time; without
                // these it would read the whole table for every batch.
                "CREATE INDEX inbox_by_received ON inbox (received_at_us)",
                "CREATE INDEX sessions_by_created ON sessions (created_at_us)",
                // When a session's last token expires, and the cascade from a deleted session.
                "CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id, expires_at_us)",
                "CREATE INDEX otp_challenges_by_expiry ON otp_challenges (expires_at_us)",
            ]
        ),
        SQLiteMigration(
            version: 9,
            name: "abuse defence: codes sent and verified per country and prefix, per minute",
            statements: [
                // The evaluation sums an app's buckets since a start, so the start comes before the scope.
                """
                CREATE TABLE conversion_buckets (
                    app TEXT NOT NULL,
                    bucket_start_us INTEGER NOT NULL,
                    scope TEXT NOT NULL,
                    sent INTEGER NOT NULL,
                    verified INTEGER NOT NULL,
                    PRIMARY KEY (app, bucket_start_us, scope)
                ) STRICT, WITHOUT ROWID
                """,
                "CREATE INDEX conversion_buckets_by_start ON conversion_buckets (bucket_start_us)",
                // The abuse retention purge finds aged-out rows by time.
                "CREATE INDEX prefix_numbers_by_seen ON prefix_numbers (seen_at_us)",
                "CREATE INDEX send_budgets_by_start ON send_budgets (window_start_us)",
            ]
        ),
        SQLiteMigration(
            version: 10,
            name: "webhooks: the outbox of events for the apps, and the status callbacks of messages",
            statements: [
                """
                CREATE TABLE webhook_events (
                    id TEXT PRIMARY KEY,
                    app TEXT NOT NULL,
                    type TEXT NOT NULL,
                    format TEXT NOT NULL,
                    url TEXT NOT NULL,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    created_at_us INTEGER NOT NULL,
                    next_attempt_at_us INTEGER NOT NULL,
                    expires_at_us INTEGER NOT NULL,
                    last_error TEXT
                ) STRICT
                """,
                // The delivery service takes the pending events that are due; the queue bound counts an app's pending ones.
                "CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at_us) WHERE state = 'pending'",
                "CREATE INDEX webhook_events_by_app_state ON webhook_events (app, state, created_at_us)",
                // Delivered and dead events are deleted a while after their last try.
                "CREATE INDEX webhook_events_ended ON webhook_events (next_attempt_at_us) WHERE state <> 'pending'",
                """
                CREATE TABLE status_callbacks (
                    message_id TEXT PRIMARY KEY,
                    url TEXT NOT NULL
                ) STRICT, WITHOUT ROWID
                """,
            ]
        ),
        SQLiteMigration(
            version: 11,
            name: "delivery receipts",
            statements: [
                // Arrival order is the row order. A receipt may come before the send's outcome is
                // saved (no message has its provider id yet): it is kept with no message, and found
                // by provider and provider id when the message is read.
                """
                CREATE TABLE receipts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    provider TEXT NOT NULL,
                    provider_message_id TEXT NOT NULL,
                    message_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
                    provider_status TEXT NOT NULL,
                    status TEXT,
                    error_code TEXT,
                    received_at_us INTEGER NOT NULL
                ) STRICT
                """,
                "CREATE INDEX receipts_by_provider_message ON receipts (provider, provider_message_id)",
                "CREATE INDEX receipts_by_message ON receipts (message_id) WHERE message_id IS NOT NULL",
                // Receipts that matched no message are purged by age.
                "CREATE INDEX receipts_unmatched_by_received ON receipts (received_at_us) WHERE message_id IS NULL",
                // How a receipt finds its message.
                """
                CREATE INDEX messages_by_provider_message ON messages (provider, provider_message_id)
                    WHERE provider_message_id IS NOT NULL
                """,
            ]
        ),
    ]
}
