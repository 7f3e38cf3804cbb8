extension PostgresMigration {
    /// Every migration, oldest first.
    ///
    /// The same tables as the SQLite store's, in their current shape. Dates are integer
    /// microseconds since 1970 (columns ending `_us`), as there: exact, and read back unchanged.
    /// Free texts (a message's text, a provider's error message) are UTF-8 in `bytea`: PostgreSQL's
    /// `text` cannot hold U+0000, which a message may contain.
    static let all: [PostgresMigration] = [
        PostgresMigration(
            version: 1,
            name: "messages, attempts and inbox",
            statements: [
                // `row_order` breaks ties between messages created in the same microsecond, newest
                // last, as SQLite's rowid does; a save that replaces a message keeps it.
                """
                CREATE TABLE messages (
                    row_order bigint GENERATED ALWAYS AS IDENTITY,
                    id text PRIMARY KEY,
                    app text NOT NULL,
                    kind text NOT NULL,
                    to_number text NOT NULL,
                    country text NOT NULL,
                    route text NOT NULL,
                    sender text NOT NULL,
                    logged_text bytea NOT NULL,
                    encoding text NOT NULL,
                    segments integer NOT NULL,
                    status text NOT NULL,
                    provider text,
                    provider_message_id text,
                    created_at_us bigint NOT NULL,
                    updated_at_us bigint NOT NULL
                )
                """,
                "CREATE INDEX messages_by_created ON messages (created_at_us, row_order)",
                "CREATE INDEX messages_by_to_created ON messages (to_number, created_at_us, row_order)",
                "CREATE INDEX messages_pending_by_created ON messages (created_at_us) WHERE status = 'pending'",
                "CREATE INDEX messages_interrupted_by_created ON messages (created_at_us, row_order) WHERE status = 'interrupted'",
                """
                CREATE TABLE attempts (
                    message_id text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                    attempt_number integer NOT NULL,
                    provider text NOT NULL,
                    outcome text NOT NULL,
                    provider_code text,
                    provider_message bytea,
                    provider_message_id text,
                    latency_us bigint NOT NULL,
                    started_at_us bigint NOT NULL,
                    PRIMARY KEY (message_id, attempt_number)
                )
                """,
                // A sequence never hands out a number twice, so a reader's cursor never skips a message.
                """
                CREATE TABLE inbox (
                    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id text NOT NULL,
                    message_id text NOT NULL,
                    to_number text NOT NULL,
                    from_number text NOT NULL,
                    text bytea NOT NULL,
                    encoding text NOT NULL,
                    segments integer NOT NULL,
                    received_at_us bigint NOT NULL
                )
                """,
                "CREATE INDEX inbox_by_to_sequence ON inbox (to_number, sequence)",
            ]
        ),
        PostgresMigration(
            version: 2,
            name: "OTP login: users, memberships, challenges, lockouts, send counters, secrets, sessions",
            statements: [
                // Identifiers are unique among the users of one owner app; within a sharing group
                // (which the configuration may change) `createUser` keeps them unique under a lock.
                """
                CREATE TABLE users (
                    id text PRIMARY KEY,
                    owner_app text NOT NULL,
                    phone_number text,
                    phone_verified boolean NOT NULL,
                    phone_verified_at_us bigint,
                    email text,
                    username text,
                    external_user_id text,
                    name_json text,
                    custom_data_json text,
                    status text NOT NULL,
                    created_at_us bigint NOT NULL,
                    updated_at_us bigint NOT NULL,
                    UNIQUE (owner_app, phone_number),
                    UNIQUE (owner_app, email),
                    UNIQUE (owner_app, username)
                )
                """,
                "CREATE INDEX users_by_phone ON users (phone_number)",
                "CREATE INDEX users_by_email ON users (email)",
                "CREATE INDEX users_by_username ON users (username)",
                """
                CREATE TABLE app_members (
                    app text NOT NULL,
                    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    created_at_us bigint NOT NULL,
                    PRIMARY KEY (app, user_id)
                )
                """,
                // One live code per user and app: a new send replaces the row.
                """
                CREATE TABLE otp_challenges (
                    app text NOT NULL,
                    user_id text NOT NULL,
                    id text NOT NULL UNIQUE,
                    code_hash bytea NOT NULL,
                    request_id text,
                    sent_to text,
                    approval_data_json text,
                    created_at_us bigint NOT NULL,
                    expires_at_us bigint NOT NULL,
                    PRIMARY KEY (app, user_id)
                )
                """,
                """
                CREATE TABLE otp_failures (
                    app text NOT NULL,
                    user_id text NOT NULL,
                    failures integer NOT NULL,
                    locked_until_us bigint,
                    PRIMARY KEY (app, user_id)
                )
                """,
                "CREATE TABLE otp_sends (key text NOT NULL, sent_at_us bigint NOT NULL)",
                "CREATE INDEX otp_sends_by_key ON otp_sends (key, sent_at_us)",
                """
                CREATE TABLE secrets (
                    name text PRIMARY KEY,
                    value bytea NOT NULL,
                    created_at_us bigint NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                    id text PRIMARY KEY,
                    app text NOT NULL,
                    client_id text NOT NULL,
                    user_id text NOT NULL,
                    auth_time_us bigint NOT NULL,
                    created_at_us bigint NOT NULL,
                    revoked_at_us bigint
                )
                """,
                // Only SHA-256 hashes of refresh tokens are kept.
                """
                CREATE TABLE refresh_tokens (
                    hash bytea PRIMARY KEY,
                    session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                    created_at_us bigint NOT NULL,
                    expires_at_us bigint NOT NULL,
                    rotated_at_us bigint
                )
                """,
            ]
        ),
        PostgresMigration(
            version: 3,
            name: "OTP challenges: the verify provider that owns the code",
            statements: [
                // Set when a verify provider (Mosaic, Twilio Verify) sent its own code in place of
                // ours: authenticate then asks that provider. Existing challenges keep our codes.
                "ALTER TABLE otp_challenges ADD COLUMN owner TEXT",
            ]
        ),
        PostgresMigration(
            version: 4,
            name: "messages: partial index of queued messages",
            statements: [
                // Workers of every daemon claim the oldest queued messages; only queued rows are in it.
                "CREATE INDEX messages_queued_by_created ON messages (created_at_us, row_order) WHERE status = 'queued'"
            ]
        ),
        PostgresMigration(
            version: 5,
            name: "abuse defence: send budgets per window, numbers seen per prefix, blocked prefixes",
            statements: [
                """
                CREATE TABLE send_budgets (
                    key text NOT NULL,
                    window_start_us bigint NOT NULL,
                    sends integer NOT NULL,
                    refused boolean NOT NULL,
                    PRIMARY KEY (key, window_start_us)
                )
                """,
                """
                CREATE TABLE prefix_numbers (
                    app text NOT NULL,
                    prefix text NOT NULL,
                    number text NOT NULL,
                    seen_at_us bigint NOT NULL,
                    PRIMARY KEY (app, prefix, number)
                )
                """,
                """
                CREATE TABLE blocked_prefixes (
                    app text NOT NULL,
                    prefix text NOT NULL,
                    blocked_at_us bigint NOT NULL,
                    blocked_until_us bigint NOT NULL,
                    numbers integer NOT NULL,
                    PRIMARY KEY (app, prefix)
                )
                """,
            ]
        ),
        PostgresMigration(
            version: 6,
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
        PostgresMigration(
            version: 7,
            name: "delivery receipts",
            statements: [
                // Arrival order is `id`. A receipt may come before the send's outcome is saved (no
                // message has its provider id yet): it is kept with no message, and found by
                // provider and provider id when the message is read.
                """
                CREATE TABLE receipts (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    provider text NOT NULL,
                    provider_message_id text NOT NULL,
                    message_id text REFERENCES messages (id) ON DELETE CASCADE,
                    provider_status text NOT NULL,
                    status text,
                    error_code text,
                    received_at_us bigint NOT NULL
                )
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
