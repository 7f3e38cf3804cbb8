package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// Challenges, failure counts and lockouts, and send counters.
///
/// Each step about a user in an app runs holding that user's advisory lock (in a transaction, or in
/// a server-side function), and each step about a number's sends holds that number's lock: however
/// many daemons receive guesses or sends at once, they are judged one after another against what
/// the others committed.
extension PostgresStore: OTPStore {
    package func putChallenge(_ challenge: OTPChallenge) async throws {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.otp(app: challenge.app, userID: challenge.userID), logger: logger)
            try await Self.put(challenge, on: connection, logger: logger)
        }
    }

    /// Stores the challenge, replacing the user's earlier one.
    private static func put(_ challenge: OTPChallenge, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            """
            INSERT INTO otp_challenges (app, user_id, id, code_hash, request_id, sent_to, approval_data_json,
                created_at_us, expires_at_us, owner)
            VALUES (\(challenge.app), \(challenge.userID), \(challenge.id), \(Data(challenge.codeHash)), \(challenge.requestID),
                \(challenge.sentTo), \(challenge.approvalDataJSON), \(challenge.createdAt.microsecondsSince1970),
                \(challenge.expiresAt.microsecondsSince1970), \(challenge.owner))
            ON CONFLICT (app, user_id) DO UPDATE SET
                id = excluded.id, code_hash = excluded.code_hash, request_id = excluded.request_id,
                sent_to = excluded.sent_to, approval_data_json = excluded.approval_data_json,
                created_at_us = excluded.created_at_us, expires_at_us = excluded.expires_at_us, owner = excluded.owner
            """,
            logger: logger
        )
    }

    static let hourMicroseconds: Int64 = 3_600_000_000

    package func deleteChallenge(id: String) async throws {
        try await pool.run("DELETE FROM otp_challenges WHERE id = \(id)", logger: logger)
    }

    package func assignChallengeOwner(id: String, owner: String) async throws {
        try await pool.run("UPDATE otp_challenges SET owner = \(owner) WHERE id = \(id)", logger: logger)
    }

    package func challenge(app: String, userID: String) async throws -> OTPChallenge? {
        try await Self.challenge(app: app, userID: userID, on: pool, logger: logger)
    }

    private static func challenge(app: String, userID: String, on runner: some PostgresQueryRunner, logger: Logger) async throws -> OTPChallenge? {
        let rows = try await runner.run(
            """
            SELECT app, user_id, id, code_hash, request_id, sent_to, approval_data_json, created_at_us, expires_at_us, owner
            FROM otp_challenges WHERE app = \(app) AND user_id = \(userID)
            """,
            logger: logger
        )
        return try rows.first.map(OTPChallenge.init(row:))
    }

    package func lockedUntil(app: String, userID: String, now: Date) async throws -> Date? {
        try await Self.lockedUntil(app: app, userID: userID, now: now, on: pool, logger: logger)
    }

    private static func lockedUntil(app: String, userID: String, now: Date, on runner: some PostgresQueryRunner, logger: Logger) async throws -> Date? {
        let rows = try await runner.run(
            """
            SELECT locked_until_us FROM otp_failures
            WHERE app = \(app) AND user_id = \(userID) AND locked_until_us > \(now.microsecondsSince1970)
            """,
            logger: logger
        )
        return try rows.first.map { try $0.date("locked_until_us") }
    }

    /// Reads the lock and the live challenge (one statement, no transaction), judges the code
    /// here, then has `switchboard_attempt` (PostgreSQL migration 9) count the outcome under the
    /// user's advisory lock, and the same statement count an accepted code's verification under
    /// the conversion rule: two round trips and one commit, the lock held only while the database
    /// runs the function. A challenge a send replaced in between is read and judged again.
    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        conversion: @escaping @Sendable (OTPChallenge) -> ConversionSend?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
        let nowMicros = now.microsecondsSince1970
        let lock = AdvisoryLock.otp(app: app, userID: userID)
        let (session, token) = (opening?.session, opening?.refreshToken)
        while true {
            var key = PostgresBindings(capacity: 2)
            key.append(app)
            key.append(userID)
            let state = try await pool.run(AttemptStateStatement(bindings: key), logger: logger)
            guard let row = state.first else { throw PostgresStoreError.invalidColumn(table: "otp_failures", column: "failures", value: "no row") }
            if let until = try row.optionalDate("locked_until_us"), until.microsecondsSince1970 > nowMicros { return .locked(until: until) }
            // Nothing to judge, and nothing to write: an ended lock is forgotten by the next judged code.
            if row.isNull("id") { return .noChallenge }
            let challenge = try OTPChallenge(row: row)
            let matched = challenge.expiresAt > now && matches(challenge)
            let verified = matched ? conversion(challenge) : nil
            var bindings = PostgresBindings(capacity: 20)
            bindings.append(lock)
            bindings.append(app)
            bindings.append(userID)
            bindings.append(challenge.id)
            bindings.append(matched)
            bindings.append(nowMicros)
            bindings.append(Int64(policy.maxFailures))
            bindings.append(policy.lockout.wholeMicroseconds)
            bindings.append(session?.id)
            bindings.append(session?.app)
            bindings.append(session?.clientID)
            bindings.append(session?.userID)
            bindings.append(session?.authTime.microsecondsSince1970)
            bindings.append(session?.createdAt.microsecondsSince1970)
            try bindings.append(token.map { Data($0.hash) })
            bindings.append(token?.createdAt.microsecondsSince1970)
            bindings.append(token?.expiresAt.microsecondsSince1970)
            bindings.append(verified?.app ?? "")
            bindings.append(verified.map { ConversionRule.bucketStart(containing: $0.at.microsecondsSince1970) } ?? 0)
            bindings.append(verified?.scopes.map(\.key).sorted() ?? [])
            let judged = try await pool.run(JudgeStatement(bindings: bindings), logger: logger)
            guard let outcome = judged.first else {
                throw PostgresStoreError.invalidColumn(table: "switchboard_attempt", column: "outcome", value: "no row")
            }
            switch try outcome.text("outcome") {
            case "replaced": continue
            case "accepted": return .accepted(challenge)
            case "rejected":
                return .rejected(failures: Int(try outcome.integer("failure_count")), lockedUntil: try outcome.optionalDate("at_us"))
            case "expired": return .expired
            case "no_challenge": return .noChallenge
            case "locked": return .locked(until: try outcome.date("at_us"))
            case let other: throw PostgresStoreError.invalidColumn(table: "switchboard_attempt", column: "outcome", value: other)
            }
        }
    }

    package func reserveSend(key: String, now: Date, limits: SendLimits) async throws -> SendReservation {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.sends(key: key), logger: logger)
            let now = now.roundedToMicroseconds
            let recent = try await Self.recentSends(key: key, now: now, limits: limits, on: connection, logger: logger)
            if let decision = SendLimiter.decide(recent, now: now, limits: limits) { return decision }
            let nowMicros = now.microsecondsSince1970
            try await connection.run(
                """
                WITH pruned AS (DELETE FROM otp_sends WHERE key = \(key) AND sent_at_us <= \(nowMicros - Self.hourMicroseconds))
                INSERT INTO otp_sends (key, sent_at_us) VALUES (\(key), \(nowMicros))
                """,
                logger: logger
            )
            return .reserved(at: now)
        }
    }

    /// The sends counted under `key` in the hour before `now`, as `limits` need them: counted in
    /// the index, never read one by one, as `switchboard_issue_challenge` counts a login's.
    private static func recentSends(
        key: String, now: Date, limits: SendLimits, on connection: PostgresConnection, logger: Logger
    ) async throws -> RecentSends {
        let hourAgo = now.microsecondsSince1970 - hourMicroseconds
        let window = try await connection.run(
            "SELECT count(*) AS recent, max(sent_at_us) AS at_us FROM otp_sends WHERE key = \(key) AND sent_at_us > \(hourAgo)",
            logger: logger
        ).first
        let count = Int(try window?.integer("recent") ?? 0)
        let latest = try window?.optionalDate("at_us")
        var freeing: Date?
        if count >= limits.maxPerHour {
            let row = try await connection.run(
                """
                SELECT sent_at_us AS at_us FROM otp_sends WHERE key = \(key) AND sent_at_us > \(hourAgo)
                ORDER BY sent_at_us OFFSET \(count - limits.maxPerHour) LIMIT 1
                """,
                logger: logger
            ).first
            freeing = try row?.date("at_us")
        }
        return RecentSends(count: count, latest: latest, freeing: freeing)
    }

    package func cancelSend(key: String, at date: Date) async throws {
        try await pool.run(
            """
            DELETE FROM otp_sends WHERE ctid = (
                SELECT ctid FROM otp_sends WHERE key = \(key) AND sent_at_us = \(date.microsecondsSince1970) LIMIT 1
            )
            """,
            logger: logger
        )
    }
}

extension OTPChallenge {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.text("id"),
            app: try row.text("app"),
            userID: try row.text("user_id"),
            codeHash: try row.bytes("code_hash"),
            requestID: try row.optionalText("request_id"),
            sentTo: try row.optionalText("sent_to"),
            approvalDataJSON: try row.optionalText("approval_data_json"),
            createdAt: try row.date("created_at_us"),
            expiresAt: try row.date("expires_at_us"),
            owner: try row.optionalText("owner")
        )
    }
}

/// The user's lock and live challenge, read without a transaction before a code is judged.
private struct AttemptStateStatement: PreparedStatement {
    static let name = "switchboard_attempt_state"
    static let sql = """
        SELECT f.locked_until_us, c.app, c.user_id, c.id, c.code_hash, c.request_id, c.sent_to,
            c.approval_data_json, c.created_at_us, c.expires_at_us, c.owner
        FROM (VALUES (1)) AS one
        LEFT JOIN otp_failures AS f ON f.app = $1::text AND f.user_id = $2::text
        LEFT JOIN otp_challenges AS c ON c.app = $1::text AND c.user_id = $2::text
        """

    let bindings: PostgresBindings
}

/// `switchboard_attempt`, and the conversion count of the code it accepted.
private struct JudgeStatement: PreparedStatement {
    static let name = "switchboard_judge"
    static let sql = """
        WITH judged AS MATERIALIZED (SELECT outcome, failure_count, at_us FROM switchboard_attempt(
            $1::text, $2::text, $3::text, $4::text, $5::boolean, $6::bigint, $7::bigint, $8::bigint,
            $9::text, $10::text, $11::text, $12::text, $13::bigint, $14::bigint, $15::bytea, $16::bigint, $17::bigint
        )),
        \(PostgresStore.conversionCount(adding: .verified, after: "judged", answered: "accepted", first: 18))
        SELECT outcome, failure_count, at_us FROM judged
        """

    let bindings: PostgresBindings
}
