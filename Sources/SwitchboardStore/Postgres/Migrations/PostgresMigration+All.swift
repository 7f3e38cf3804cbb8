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
            name: "abuse defence: codes sent and verified per country and prefix, per minute",
            statements: [
                // The evaluation sums an app's buckets since a start, so the start comes before the scope.
                """
                CREATE TABLE conversion_buckets (
                    app text NOT NULL,
                    bucket_start_us bigint NOT NULL,
                    scope text NOT NULL,
                    sent integer NOT NULL,
                    verified integer NOT NULL,
                    PRIMARY KEY (app, bucket_start_us, scope)
                )
                """,
                "CREATE INDEX conversion_buckets_by_start ON conversion_buckets (bucket_start_us)",
                // The abuse retention purge finds aged-out rows by time.
                "CREATE INDEX prefix_numbers_by_seen ON prefix_numbers (seen_at_us)",
                "CREATE INDEX send_budgets_by_start ON send_budgets (window_start_us)",
            ]
        ),
        PostgresMigration(
            version: 8,
            name: "webhooks: the outbox of events for the apps, and the status callbacks of messages",
            statements: [
                """
                CREATE TABLE webhook_events (
                    id text PRIMARY KEY,
                    row_order bigserial NOT NULL,
                    app text NOT NULL,
                    type text NOT NULL,
                    format text NOT NULL,
                    url text NOT NULL,
                    body text NOT NULL,
                    state text NOT NULL,
                    attempts integer NOT NULL,
                    created_at_us bigint NOT NULL,
                    next_attempt_at_us bigint NOT NULL,
                    expires_at_us bigint NOT NULL,
                    last_error text
                )
                """,
                // The delivery service takes the pending events that are due; the queue bound counts an app's pending ones.
                "CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at_us) WHERE state = 'pending'",
                "CREATE INDEX webhook_events_by_app_state ON webhook_events (app, state, created_at_us)",
                // Delivered and dead events are deleted a while after their last try.
                "CREATE INDEX webhook_events_ended ON webhook_events (next_attempt_at_us) WHERE state <> 'pending'",
                """
                CREATE TABLE status_callbacks (
                    message_id text PRIMARY KEY,
                    url text NOT NULL
                )
                """,
            ]
        ),
        PostgresMigration(
            version: 9,
            name: "OTP sends: one function for a send's whole store step",
            statements: [
                // An OTP send's checks and writes (prefix velocity, budgets, lockout, send limits,
                // the challenge) in one statement, so its advisory locks are held for the function's
                // run and the commit, not across the daemon's round trips. Each statement in it
                // sees what was committed before it ran (READ COMMITTED), so what it reads after
                // taking the locks is what the last holder committed. Mirrors, in this order,
                // PrefixVelocityRule.blocks, BudgetLimiter.decide and SendLimiter.decide.
                """
                CREATE FUNCTION switchboard_issue_challenge(
                    p_app text, p_user_id text, p_id text, p_code_hash bytea, p_request_id text, p_sent_to text,
                    p_approval_data_json text, p_created_at_us bigint, p_expires_at_us bigint, p_owner text,
                    p_now_us bigint, p_lock_names text[],
                    p_send_keys text[], p_resend_after_us bigint[], p_max_per_hour bigint[],
                    p_prefix_app text, p_prefix text, p_number text, p_prefix_max bigint, p_prefix_window_us bigint, p_prefix_block_us bigint,
                    p_budget_keys text[], p_budget_starts bigint[], p_budget_limits bigint[], p_budget_ends bigint[]
                ) RETURNS TABLE (outcome text, at_us bigint, amount bigint, newly boolean)
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_name text;
                    v_until bigint;
                    v_count bigint;
                    v_refused boolean;
                    v_last bigint;
                    v_freed bigint;
                    v_wait bigint;
                    v_longest bigint := 0;
                    v_hour_ago bigint := p_now_us - 3600000000;
                BEGIN
                    FOREACH v_name IN ARRAY p_lock_names LOOP
                        PERFORM pg_advisory_xact_lock(hashtextextended(v_name, 0));
                    END LOOP;
                    IF p_prefix IS NOT NULL THEN
                        SELECT b.blocked_until_us, b.numbers INTO v_until, v_count FROM blocked_prefixes b
                        WHERE b.app = p_prefix_app AND b.prefix = p_prefix AND b.blocked_until_us > p_now_us;
                        IF FOUND THEN
                            RETURN QUERY SELECT 'prefix_blocked'::text, v_until, v_count, false;
                            RETURN;
                        END IF;
                        DELETE FROM prefix_numbers n
                        WHERE n.app = p_prefix_app AND n.prefix = p_prefix AND n.seen_at_us <= p_now_us - p_prefix_window_us;
                        INSERT INTO prefix_numbers (app, prefix, number, seen_at_us) VALUES (p_prefix_app, p_prefix, p_number, p_now_us)
                        ON CONFLICT (app, prefix, number) DO UPDATE SET seen_at_us = excluded.seen_at_us;
                        SELECT count(*) INTO v_count FROM prefix_numbers n WHERE n.app = p_prefix_app AND n.prefix = p_prefix;
                        IF v_count > p_prefix_max THEN
                            INSERT INTO blocked_prefixes (app, prefix, blocked_at_us, blocked_until_us, numbers)
                            VALUES (p_prefix_app, p_prefix, p_now_us, p_now_us + p_prefix_block_us, v_count)
                            ON CONFLICT (app, prefix) DO UPDATE SET blocked_at_us = excluded.blocked_at_us,
                                blocked_until_us = excluded.blocked_until_us, numbers = excluded.numbers;
                            RETURN QUERY SELECT 'prefix_blocked'::text, p_now_us + p_prefix_block_us, v_count, true;
                            RETURN;
                        END IF;
                    END IF;
                    DELETE FROM send_budgets b USING unnest(p_budget_keys, p_budget_starts) AS c(key, start)
                    WHERE b.key = c.key AND b.window_start_us < c.start;
                    FOR i IN 1 .. coalesce(cardinality(p_budget_keys), 0) LOOP
                        SELECT b.sends, b.refused INTO v_count, v_refused FROM send_budgets b
                        WHERE b.key = p_budget_keys[i] AND b.window_start_us = p_budget_starts[i];
                        IF coalesce(v_count, 0) >= p_budget_limits[i] THEN
                            UPDATE send_budgets b SET refused = true WHERE b.key = p_budget_keys[i] AND b.window_start_us = p_budget_starts[i];
                            RETURN QUERY SELECT 'over_budget'::text, p_budget_ends[i], (i - 1)::bigint, NOT coalesce(v_refused, false);
                            RETURN;
                        END IF;
                    END LOOP;
                    SELECT f.locked_until_us INTO v_until FROM otp_failures f
                    WHERE f.app = p_app AND f.user_id = p_user_id AND f.locked_until_us > p_now_us;
                    IF FOUND THEN
                        RETURN QUERY SELECT 'locked'::text, v_until, 0::bigint, false;
                        RETURN;
                    END IF;
                    FOR i IN 1 .. coalesce(cardinality(p_send_keys), 0) LOOP
                        SELECT count(*), max(s.sent_at_us) INTO v_count, v_last FROM otp_sends s
                        WHERE s.key = p_send_keys[i] AND s.sent_at_us > v_hour_ago;
                        v_wait := 0;
                        IF v_count > 0 AND p_resend_after_us[i] > 0 AND v_last + p_resend_after_us[i] > p_now_us THEN
                            v_wait := v_last + p_resend_after_us[i] - p_now_us;
                        END IF;
                        IF v_count >= p_max_per_hour[i] THEN
                            SELECT s.sent_at_us INTO v_freed FROM otp_sends s
                            WHERE s.key = p_send_keys[i] AND s.sent_at_us > v_hour_ago
                            ORDER BY s.sent_at_us OFFSET v_count - p_max_per_hour[i] LIMIT 1;
                            v_wait := greatest(v_wait, v_freed + 3600000000 - p_now_us);
                        END IF;
                        v_longest := greatest(v_longest, v_wait);
                    END LOOP;
                    IF v_longest > 0 THEN
                        RETURN QUERY SELECT 'too_many_sends'::text, v_longest, 0::bigint, false;
                        RETURN;
                    END IF;
                    INSERT INTO send_budgets (key, window_start_us, sends, refused)
                    SELECT c.key, c.start, 1, false FROM unnest(p_budget_keys, p_budget_starts) AS c(key, start)
                    ON CONFLICT (key, window_start_us) DO UPDATE SET sends = send_budgets.sends + 1;
                    DELETE FROM otp_sends s WHERE s.key = ANY(p_send_keys) AND s.sent_at_us <= v_hour_ago;
                    INSERT INTO otp_sends (key, sent_at_us) SELECT k, p_now_us FROM unnest(p_send_keys) AS k;
                    INSERT INTO otp_challenges (app, user_id, id, code_hash, request_id, sent_to, approval_data_json,
                        created_at_us, expires_at_us, owner)
                    VALUES (p_app, p_user_id, p_id, p_code_hash, p_request_id, p_sent_to, p_approval_data_json,
                        p_created_at_us, p_expires_at_us, p_owner)
                    ON CONFLICT (app, user_id) DO UPDATE SET
                        id = excluded.id, code_hash = excluded.code_hash, request_id = excluded.request_id,
                        sent_to = excluded.sent_to, approval_data_json = excluded.approval_data_json,
                        created_at_us = excluded.created_at_us, expires_at_us = excluded.expires_at_us, owner = excluded.owner;
                    RETURN QUERY SELECT 'issued'::text, p_now_us, 0::bigint, false;
                END
                $$
                """,
                // Judging a code: the user's lock, then the failure count and the live challenge,
                // then what the daemon found (`p_matched`, for the challenge `p_challenge_id` it
                // read before); a challenge replaced since is answered `replaced` with nothing
                // written, and the daemon reads and judges again.
                """
                CREATE FUNCTION switchboard_attempt(
                    p_lock_name text, p_app text, p_user_id text, p_challenge_id text, p_matched boolean, p_now_us bigint,
                    p_max_failures bigint, p_lockout_us bigint,
                    p_session_id text, p_session_app text, p_client_id text, p_session_user_id text, p_auth_time_us bigint,
                    p_session_created_at_us bigint,
                    p_token_hash bytea, p_token_created_at_us bigint, p_token_expires_at_us bigint
                ) RETURNS TABLE (outcome text, failure_count bigint, at_us bigint)
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_failures bigint;
                    v_locked_until bigint;
                    v_id text;
                    v_expires bigint;
                    v_lock_ended boolean := false;
                    v_found boolean;
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_name, 0));
                    SELECT f.failures, f.locked_until_us INTO v_failures, v_locked_until FROM otp_failures f
                    WHERE f.app = p_app AND f.user_id = p_user_id;
                    v_failures := coalesce(v_failures, 0);
                    IF v_locked_until IS NOT NULL THEN
                        IF v_locked_until > p_now_us THEN
                            RETURN QUERY SELECT 'locked'::text, 0::bigint, v_locked_until;
                            RETURN;
                        END IF;
                        -- A lockout that has ended is forgotten, with the failures that led to it.
                        v_failures := 0;
                        v_lock_ended := true;
                    END IF;
                    SELECT c.id, c.expires_at_us INTO v_id, v_expires FROM otp_challenges c WHERE c.app = p_app AND c.user_id = p_user_id;
                    v_found := FOUND;
                    IF v_found AND v_id IS DISTINCT FROM p_challenge_id AND v_expires > p_now_us THEN
                        RETURN QUERY SELECT 'replaced'::text, 0::bigint, 0::bigint;
                        RETURN;
                    END IF;
                    IF v_lock_ended THEN
                        DELETE FROM otp_failures f WHERE f.app = p_app AND f.user_id = p_user_id;
                    END IF;
                    IF NOT v_found THEN
                        RETURN QUERY SELECT 'no_challenge'::text, 0::bigint, 0::bigint;
                        RETURN;
                    END IF;
                    IF v_expires <= p_now_us THEN
                        DELETE FROM otp_challenges c WHERE c.app = p_app AND c.user_id = p_user_id;
                        RETURN QUERY SELECT 'expired'::text, 0::bigint, 0::bigint;
                        RETURN;
                    END IF;
                    IF p_matched THEN
                        DELETE FROM otp_challenges c WHERE c.app = p_app AND c.user_id = p_user_id;
                        DELETE FROM otp_failures f WHERE f.app = p_app AND f.user_id = p_user_id;
                        IF p_session_id IS NOT NULL THEN
                            INSERT INTO sessions (id, app, client_id, user_id, auth_time_us, created_at_us, revoked_at_us)
                            VALUES (p_session_id, p_session_app, p_client_id, p_session_user_id, p_auth_time_us, p_session_created_at_us, NULL);
                            INSERT INTO refresh_tokens (hash, session_id, created_at_us, expires_at_us, rotated_at_us)
                            VALUES (p_token_hash, p_session_id, p_token_created_at_us, p_token_expires_at_us, NULL);
                        END IF;
                        RETURN QUERY SELECT 'accepted'::text, 0::bigint, 0::bigint;
                        RETURN;
                    END IF;
                    v_failures := v_failures + 1;
                    IF v_failures >= p_max_failures THEN
                        DELETE FROM otp_challenges c WHERE c.app = p_app AND c.user_id = p_user_id;
                        INSERT INTO otp_failures (app, user_id, failures, locked_until_us) VALUES (p_app, p_user_id, 0, p_now_us + p_lockout_us)
                        ON CONFLICT (app, user_id) DO UPDATE SET failures = 0, locked_until_us = excluded.locked_until_us;
                        RETURN QUERY SELECT 'rejected'::text, v_failures, p_now_us + p_lockout_us;
                        RETURN;
                    END IF;
                    INSERT INTO otp_failures (app, user_id, failures, locked_until_us) VALUES (p_app, p_user_id, v_failures, NULL)
                    ON CONFLICT (app, user_id) DO UPDATE SET failures = excluded.failures, locked_until_us = NULL;
                    RETURN QUERY SELECT 'rejected'::text, v_failures, NULL::bigint;
                END
                $$
                """,
            ]
        ),
        PostgresMigration(
            version: 10,
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
        PostgresMigration(
            version: 11,
            name: "abuse defence: each conversion bucket spread over shards",
            statements: [
                // Every code sent to a country added to one row per minute, so concurrent sends,
                // on one daemon or several, queued on that row's lock until each commit was
                // flushed. A send now adds to one of several rows; the tallies already sum them.
                "ALTER TABLE conversion_buckets ADD COLUMN shard smallint NOT NULL DEFAULT 0",
                "ALTER TABLE conversion_buckets DROP CONSTRAINT conversion_buckets_pkey",
                "ALTER TABLE conversion_buckets ADD PRIMARY KEY (app, bucket_start_us, scope, shard)",
            ]
        ),
        PostgresMigration(
            version: 12,
            name: "plans: the login functions, the user lookup and the batch save always run their generic plans, by key",
            statements: [
                // A prepared statement's first few runs on a connection are planned for their
                // values; after them PostgreSQL keeps the plan made for any values only if it
                // costs no more than those did. For arrays it knows the length of (a batch of
                // one or two saves, an empty list of budgets) the plan for the values always
                // looks cheaper, so such a connection planned the statement again on every run,
                // and a daemon with less traffic, whose batches are smaller, paid it most. Every
                // statement in these functions finds its rows by key, so the plan for any values
                // is the right one, provided it is made with the keys' indexes: a plan is kept
                // until the table is next analyzed, and one made while a table was nearly empty
                // read it whole however large it grew (a save's delete of superseded attempts
                // scanned every attempt in the table). With sequential scans off the plan looks
                // rows up by key however few the statistics say there are.
                """
                ALTER FUNCTION switchboard_issue_challenge(
                    text, text, text, bytea, text, text, text, bigint, bigint, text, bigint, text[],
                    text[], bigint[], bigint[], text, text, text, bigint, bigint, bigint,
                    text[], bigint[], bigint[], bigint[]
                ) SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
                """,
                """
                ALTER FUNCTION switchboard_attempt(
                    text, text, text, text, boolean, bigint, bigint, bigint, text, text, text, text, bigint, bigint,
                    bytea, bigint, bigint
                ) SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
                """,
                // A user found by one of its identifiers among the owners a scope sees, if a
                // member of the scope's app (PostgresStore.user). Its plan for the values looked
                // cheaper while `users` was nearly empty, and stayed chosen as it grew.
                // A branch per column rather than one `EXECUTE` naming it: a dynamic statement is
                // planned again at every call, which is what this function is here to stop.
                """
                CREATE FUNCTION switchboard_user_by(p_column text, p_value text, p_owners text[], p_app text)
                RETURNS SETOF users
                LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
                BEGIN
                    IF p_column = 'id' THEN
                        RETURN QUERY SELECT u.* FROM users u WHERE u.id = p_value AND u.owner_app = ANY(p_owners)
                            AND EXISTS (SELECT 1 FROM app_members m WHERE m.app = p_app AND m.user_id = u.id);
                    ELSIF p_column = 'phone_number' THEN
                        RETURN QUERY SELECT u.* FROM users u WHERE u.phone_number = p_value AND u.owner_app = ANY(p_owners)
                            AND EXISTS (SELECT 1 FROM app_members m WHERE m.app = p_app AND m.user_id = u.id)
                            ORDER BY u.id LIMIT 1;
                    ELSIF p_column = 'email' THEN
                        RETURN QUERY SELECT u.* FROM users u WHERE u.email = p_value AND u.owner_app = ANY(p_owners)
                            AND EXISTS (SELECT 1 FROM app_members m WHERE m.app = p_app AND m.user_id = u.id)
                            ORDER BY u.id LIMIT 1;
                    ELSIF p_column = 'username' THEN
                        RETURN QUERY SELECT u.* FROM users u WHERE u.username = p_value AND u.owner_app = ANY(p_owners)
                            AND EXISTS (SELECT 1 FROM app_members m WHERE m.app = p_app AND m.user_id = u.id)
                            ORDER BY u.id LIMIT 1;
                    ELSE
                        RAISE EXCEPTION 'switchboard_user_by: users has no identifier column %', p_column;
                    END IF;
                END
                $$
                """,
                // A batch of message saves (MessageRecord.saveStatement): each column one array.
                // Inserts each message or replaces every field of the stored one (keeping its
                // `row_order`), unless the stored one is newer, or as new and final where the
                // batch's is pending (MessageRecord.supersedes, and the SQLite store's
                // MessageRecord.newerWinsConflict); only for the messages it wrote, upserts the
                // attempts by number and deletes those past each message's last. Upserted rather
                // than all deleted and inserted again: the statement's parts run in an order
                // PostgreSQL does not promise, and a delete and an insert of one key in one
                // statement would meet in the primary key. The delete sees the statement's
                // snapshot, not attempts a concurrent save committed since; no two saves of one
                // message write attempts at once (the pending save has none, and the sweep of
                // interrupted messages only takes those older than the delivery deadline).
                """
                CREATE FUNCTION switchboard_save_messages(
                    text[], text[], text[], text[], text[], text[], text[], bytea[],
                    text[], bigint[], text[], text[], text[], bigint[], bigint[], bigint[],
                    text[], bigint[], text[], text[], text[], bytea[], text[], bigint[], bigint[]
                ) RETURNS void
                LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
                BEGIN
                    WITH incoming AS (
                        SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                        AS i (
                            id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                            provider, provider_message_id, created_at_us, updated_at_us, attempt_count
                        )
                    ),
                    written AS (
                        INSERT INTO messages (
                            id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                            provider, provider_message_id, created_at_us, updated_at_us
                        )
                        SELECT id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                            provider, provider_message_id, created_at_us, updated_at_us
                        FROM incoming
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
                    ),
                    dropped AS (
                        DELETE FROM attempts USING written, incoming
                        WHERE attempts.message_id = written.id AND incoming.id = written.id
                            AND attempts.attempt_number > incoming.attempt_count
                    )
                    INSERT INTO attempts (
                        message_id, attempt_number, provider, outcome, provider_code, provider_message,
                        provider_message_id, latency_us, started_at_us
                    )
                    SELECT a.* FROM unnest($17, $18, $19, $20, $21, $22, $23, $24, $25) AS a (
                        message_id, attempt_number, provider, outcome, provider_code, provider_message,
                        provider_message_id, latency_us, started_at_us
                    )
                    WHERE a.message_id IN (SELECT id FROM written)
                    ON CONFLICT (message_id, attempt_number) DO UPDATE SET
                        provider = excluded.provider, outcome = excluded.outcome, provider_code = excluded.provider_code,
                        provider_message = excluded.provider_message, provider_message_id = excluded.provider_message_id,
                        latency_us = excluded.latency_us, started_at_us = excluded.started_at_us;
                END
                $$
                """,
            ]
        ),
    ]
}
