package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// Challenges, failure counts and lockouts, and send counters.
///
/// Each step about a user in an app runs in one transaction holding that user's advisory lock, and
/// each step about a number's sends holds that number's lock: however many daemons receive guesses
/// or sends at once, they are judged one after another against what the others committed.
extension PostgresStore: OTPStore {
    package func putChallenge(_ challenge: OTPChallenge) async throws {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.otp(app: challenge.app, userID: challenge.userID), logger: logger)
            try await Self.put(challenge, on: connection, logger: logger)
        }
    }

    /// Stores the challenge, replacing the user's earlier one; with `send`, counts that send in the
    /// same statement (and drops the number's sends older than an hour).
    private static func put(
        _ challenge: OTPChallenge, countingSends send: (keys: [String], at: Date)? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let sentAt = send?.at.microsecondsSince1970
        let keys = send?.keys ?? []
        try await connection.run(
            """
            WITH pruned AS (
                DELETE FROM otp_sends WHERE key = ANY(\(keys)::text[]) AND sent_at_us <= \(sentAt.map { $0 - hourMicroseconds })::bigint
            ), counted AS (
                INSERT INTO otp_sends (key, sent_at_us) SELECT key, \(sentAt)::bigint FROM unnest(\(keys)::text[]) AS key
            )
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

    private static let hourMicroseconds: Int64 = 3_600_000_000

    package func deleteChallenge(id: String) async throws {
        try await client.run("DELETE FROM otp_challenges WHERE id = \(id)", logger: logger)
    }

    package func assignChallengeOwner(id: String, owner: String) async throws {
        try await client.run("UPDATE otp_challenges SET owner = \(owner) WHERE id = \(id)", logger: logger)
    }

    package func challenge(app: String, userID: String) async throws -> OTPChallenge? {
        try await Self.challenge(app: app, userID: userID, on: client, logger: logger)
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
        try await Self.lockedUntil(app: app, userID: userID, now: now, on: client, logger: logger)
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

    /// A round trip each for the user's lock, one read of the failure count and the challenge, one
    /// write (on the common outcomes), and the commit.
    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.otp(app: app, userID: userID), logger: logger)
            let nowMicros = now.microsecondsSince1970
            let state = try await connection.run(
                """
                SELECT f.failures, f.locked_until_us, c.app, c.user_id, c.id, c.code_hash, c.request_id, c.sent_to,
                    c.approval_data_json, c.created_at_us, c.expires_at_us, c.owner
                FROM (VALUES (1)) AS one
                LEFT JOIN otp_failures AS f ON f.app = \(app) AND f.user_id = \(userID)
                LEFT JOIN otp_challenges AS c ON c.app = \(app) AND c.user_id = \(userID)
                """,
                logger: logger
            )
            guard let row = state.first else { throw PostgresStoreError.invalidColumn(table: "otp_failures", column: "failures", value: "no row") }
            var failures = row.isNull("failures") ? 0 : Int(try row.integer("failures"))
            // A lockout that has ended is forgotten, with the failures that led to it.
            var forgetLockout = false
            if let until = try row.optionalDate("locked_until_us") {
                if until.microsecondsSince1970 > nowMicros { return .locked(until: until) }
                failures = 0
                forgetLockout = true
            }
            guard !row.isNull("id") else {
                if forgetLockout { try await Self.forgetFailures(app: app, userID: userID, on: connection, logger: logger) }
                return .noChallenge
            }
            let challenge = try OTPChallenge(row: row)
            guard challenge.expiresAt > now else {
                if forgetLockout { try await Self.forgetFailures(app: app, userID: userID, on: connection, logger: logger) }
                try await connection.run("DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID)", logger: logger)
                return .expired
            }
            if matches(challenge) {
                try await Self.use(challenge, opening: opening, on: connection, logger: logger)
                return .accepted(challenge)
            }
            failures += 1
            if failures >= policy.maxFailures {
                let until = now.adding(policy.lockout).roundedToMicroseconds
                try await connection.run(
                    """
                    WITH used AS (DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID))
                    INSERT INTO otp_failures (app, user_id, failures, locked_until_us) VALUES (\(app), \(userID), 0, \(until.microsecondsSince1970))
                    ON CONFLICT (app, user_id) DO UPDATE SET failures = 0, locked_until_us = excluded.locked_until_us
                    """,
                    logger: logger
                )
                return .rejected(failures: failures, lockedUntil: until)
            }
            try await connection.run(
                """
                INSERT INTO otp_failures (app, user_id, failures, locked_until_us) VALUES (\(app), \(userID), \(failures), NULL)
                ON CONFLICT (app, user_id) DO UPDATE SET failures = excluded.failures, locked_until_us = NULL
                """,
                logger: logger
            )
            return .rejected(failures: failures, lockedUntil: nil)
        }
    }

    private static func forgetFailures(app: String, userID: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run("DELETE FROM otp_failures WHERE app = \(app) AND user_id = \(userID)", logger: logger)
    }

    /// Uses up the accepted challenge, resets the failure count and opens the session, if any, in
    /// one statement.
    private static func use(_ challenge: OTPChallenge, opening: NewSession?, on connection: PostgresConnection, logger: Logger) async throws {
        let (app, userID) = (challenge.app, challenge.userID)
        guard let opening else {
            try await connection.run(
                """
                WITH used AS (DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID))
                DELETE FROM otp_failures WHERE app = \(app) AND user_id = \(userID)
                """,
                logger: logger
            )
            return
        }
        let (session, token) = (opening.session, opening.refreshToken)
        try await connection.run(
            """
            WITH used AS (
                DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID)
            ), cleared AS (
                DELETE FROM otp_failures WHERE app = \(app) AND user_id = \(userID)
            ), opened AS (
                INSERT INTO sessions (\(unescaped: sessionColumns))
                VALUES (\(session.id), \(session.app), \(session.clientID), \(session.userID),
                    \(session.authTime.microsecondsSince1970), \(session.createdAt.microsecondsSince1970),
                    \(session.revokedAt?.microsecondsSince1970))
            )
            INSERT INTO refresh_tokens (hash, session_id, created_at_us, expires_at_us, rotated_at_us)
            VALUES (\(Data(token.hash)), \(token.sessionID), \(token.createdAt.microsecondsSince1970),
                \(token.expiresAt.microsecondsSince1970), \(token.rotatedAt?.microsecondsSince1970))
            """,
            logger: logger
        )
    }

    package func reserveSend(key: String, now: Date, limits: SendLimits) async throws -> SendReservation {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.sends(key: key), logger: logger)
            let now = now.roundedToMicroseconds
            let state = try await Self.sendState(app: nil, userID: nil, sendKeys: [key], now: now, on: connection, logger: logger)
            if let decision = SendLimiter.decide(recent: state.recentSends[key] ?? [], now: now, limits: limits) { return decision }
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

    /// In one read, under the caller's locks: until when the user is locked out (with `app` and
    /// `userID`), and each counter's sends of the past hour (with `sendKeys`).
    private static func sendState(
        app: String?, userID: String?, sendKeys: [String], now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> (lockedUntil: Date?, recentSends: [String: [Date]]) {
        let nowMicros = now.microsecondsSince1970
        let rows = try await connection.run(
            """
            SELECT 'locked' AS kind, '' AS key, locked_until_us AS at_us FROM otp_failures
            WHERE app = \(app)::text AND user_id = \(userID)::text AND locked_until_us > \(nowMicros)
            UNION ALL
            SELECT 'sent', key, sent_at_us FROM otp_sends
            WHERE key = ANY(\(sendKeys)::text[]) AND sent_at_us > \(nowMicros - hourMicroseconds)
            """,
            logger: logger
        )
        var lockedUntil: Date?
        var recentSends: [String: [Date]] = [:]
        for row in rows {
            if try row.text("kind") == "locked" {
                lockedUntil = try row.date("at_us")
            } else {
                recentSends[try row.text("key"), default: []].append(try row.date("at_us"))
            }
        }
        return (lockedUntil, recentSends)
    }

    package func cancelSend(key: String, at date: Date) async throws {
        try await client.run(
            """
            DELETE FROM otp_sends WHERE ctid = (
                SELECT ctid FROM otp_sends WHERE key = \(key) AND sent_at_us = \(date.microsecondsSince1970) LIMIT 1
            )
            """,
            logger: logger
        )
    }

    /// A round trip each for both locks, one read of the lockout and the number's sends, one write
    /// of the challenge with its counted send, and the commit.
    package func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], now: Date) async throws -> ChallengeIssue {
        try await transaction { connection in
            // The user's lock first, then the counters' in sorted order: attempts never take a
            // counter's, and every issue takes them in one order, so no circle.
            let userLock = AdvisoryLock.otp(app: challenge.app, userID: challenge.userID)
            let keys = sendLimits.map(\.key)
            try await connection.lock([userLock] + keys.sorted().map(AdvisoryLock.sends(key:)), logger: logger)
            let now = now.roundedToMicroseconds
            let state = try await Self.sendState(
                app: challenge.app, userID: challenge.userID, sendKeys: keys, now: now, on: connection, logger: logger
            )
            if let until = state.lockedUntil { return .locked(until: until) }
            var longestWait: Duration?
            for limit in sendLimits {
                if case .retryAfter(let wait) = SendLimiter.decide(recent: state.recentSends[limit.key] ?? [], now: now, limits: limit.limits) {
                    longestWait = max(longestWait ?? wait, wait)
                }
            }
            if let longestWait { return .tooManySends(retryAfter: longestWait) }
            let send = keys.isEmpty ? nil : (keys: keys, at: now)
            try await Self.put(challenge, countingSends: send, on: connection, logger: logger)
            return .issued(reservedAt: send?.at)
        }
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
