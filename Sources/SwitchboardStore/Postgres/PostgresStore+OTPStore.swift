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

    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.otp(app: app, userID: userID), logger: logger)
            let nowMicros = now.microsecondsSince1970
            var failures = 0
            let state = try await connection.run(
                "SELECT failures, locked_until_us FROM otp_failures WHERE app = \(app) AND user_id = \(userID)", logger: logger
            ).first
            if let state {
                failures = Int(try state.integer("failures"))
                if let until = try state.optionalDate("locked_until_us") {
                    if until.microsecondsSince1970 > nowMicros { return .locked(until: until) }
                    failures = 0
                    try await connection.run("DELETE FROM otp_failures WHERE app = \(app) AND user_id = \(userID)", logger: logger)
                }
            }
            guard let challenge = try await Self.challenge(app: app, userID: userID, on: connection, logger: logger) else {
                return .noChallenge
            }
            guard challenge.expiresAt > now else {
                try await connection.run("DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID)", logger: logger)
                return .expired
            }
            if matches(challenge) {
                try await connection.run("DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID)", logger: logger)
                try await connection.run("DELETE FROM otp_failures WHERE app = \(app) AND user_id = \(userID)", logger: logger)
                if let opening {
                    try await PostgresStore.insert(opening.session, on: connection, logger: logger)
                    try await PostgresStore.insert(opening.refreshToken, on: connection, logger: logger)
                }
                return .accepted(challenge)
            }
            failures += 1
            if failures >= policy.maxFailures {
                let until = now.adding(policy.lockout).roundedToMicroseconds
                try await connection.run("DELETE FROM otp_challenges WHERE app = \(app) AND user_id = \(userID)", logger: logger)
                try await connection.run(
                    """
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

    package func reserveSend(key: String, now: Date, limits: SendLimits) async throws -> SendReservation {
        try await transaction { connection in
            try await Self.reserveSend(key: key, now: now, limits: limits, on: connection, logger: logger)
        }
    }

    /// Counts the send under the number's lock, inside the caller's transaction.
    private static func reserveSend(key: String, now: Date, limits: SendLimits, on connection: PostgresConnection, logger: Logger) async throws -> SendReservation {
        try await connection.lock(AdvisoryLock.sends(key: key), logger: logger)
        let now = now.roundedToMicroseconds
        let nowMicros = now.microsecondsSince1970
        let hourAgo = nowMicros - 3_600_000_000
        try await connection.run("DELETE FROM otp_sends WHERE key = \(key) AND sent_at_us <= \(hourAgo)", logger: logger)
        let recent = try await connection.run("SELECT sent_at_us FROM otp_sends WHERE key = \(key)", logger: logger)
            .map { try $0.date("sent_at_us") }
        if let decision = SendLimiter.decide(recent: recent, now: now, limits: limits) { return decision }
        try await connection.run("INSERT INTO otp_sends (key, sent_at_us) VALUES (\(key), \(nowMicros))", logger: logger)
        return .reserved(at: now)
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

    package func issueChallenge(_ challenge: OTPChallenge, sendLimit: SendLimitKey?, now: Date) async throws -> ChallengeIssue {
        try await transaction { connection in
            // The user's lock first, then the number's: attempts never take the number's, so no circle.
            try await connection.lock(AdvisoryLock.otp(app: challenge.app, userID: challenge.userID), logger: logger)
            if let until = try await Self.lockedUntil(app: challenge.app, userID: challenge.userID, now: now, on: connection, logger: logger) {
                return .locked(until: until)
            }
            var reservedAt: Date?
            if let sendLimit {
                switch try await Self.reserveSend(key: sendLimit.key, now: now, limits: sendLimit.limits, on: connection, logger: logger) {
                case .reserved(let at): reservedAt = at
                case .retryAfter(let wait): return .tooManySends(retryAfter: wait)
                }
            }
            try await Self.put(challenge, on: connection, logger: logger)
            return .issued(reservedAt: reservedAt)
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
