package import Foundation
package import SwitchboardCore

/// The OTP login state in the same SQLite file as the message log.
///
/// Every method runs as a job on the write connection, as its own transaction (within a
/// group-committed `BEGIN IMMEDIATE`, see ``SQLiteWriter/inTransaction(_:)``): jobs on that
/// connection run one at a time, so each read-modify-write (an attempt, a reservation, a rotation)
/// is atomic, and the commit makes it durable before it returns.
extension SQLiteStore: UserStore, OTPStore, SecretStore, SessionStore {
    private func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await writer.inTransaction(body)
    }

    // MARK: Users

    private static let userColumns = """
        id, phone_number, phone_verified, phone_verified_at_us, email, username, external_user_id,
        name_json, custom_data_json, status, created_at_us, updated_at_us
        """

    package func createUser(_ user: LoginUser, in scope: UserScope) async throws -> CreateUserOutcome {
        try await transaction { connection in
            let owners = Self.ownerList(scope, firstParameter: 2)
            var matches: [(field: String, user: LoginUser)] = []
            for field in UserMatching.fields {
                guard let value = user[keyPath: field.value] else { continue }
                let rows = try connection.query(
                    "SELECT \(Self.userColumns) FROM users WHERE \(field.name) = ?1 AND owner_app IN (\(owners.placeholders))",
                    [.text(value)] + owners.values
                )
                for row in rows { matches.append((field.name, try LoginUser(row: row))) }
            }
            var members: Set<String> = []
            for id in Set(matches.map(\.user.id)) {
                let rows = try connection.query("SELECT 1 FROM app_members WHERE app = ?1 AND user_id = ?2", [.text(scope.app), .text(id)])
                if !rows.isEmpty { members.insert(id) }
            }
            let now = Int(user.createdAt.microsecondsSince1970)
            switch UserMatching.decide(candidate: user, matches: matches, isMember: { members.contains($0.id) }) {
            case .create:
                try connection.execute(
                    """
                    INSERT INTO users (id, owner_app, phone_number, phone_verified, phone_verified_at_us, email, username,
                        external_user_id, name_json, custom_data_json, status, created_at_us, updated_at_us)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                    """,
                    [
                        .text(user.id), .text(scope.app), .optionalText(user.phoneNumber), .integer(user.phoneNumberVerified ? 1 : 0),
                        .optionalDate(user.phoneNumberVerifiedAt), .optionalText(user.email), .optionalText(user.username),
                        .optionalText(user.externalUserID), .optionalText(user.nameJSON), .optionalText(user.customDataJSON),
                        .text(user.status.rawValue), .integer(now), .integer(Int(user.updatedAt.microsecondsSince1970)),
                    ]
                )
                try connection.execute(
                    "INSERT INTO app_members (app, user_id, created_at_us) VALUES (?1, ?2, ?3)",
                    [.text(scope.app), .text(user.id), .integer(now)]
                )
                var stored = user
                stored.createdAt = user.createdAt.roundedToMicroseconds
                stored.updatedAt = user.updatedAt.roundedToMicroseconds
                stored.phoneNumberVerifiedAt = user.phoneNumberVerifiedAt?.roundedToMicroseconds
                return .created(stored)
            case .addToApp(let existing):
                try connection.execute(
                    "INSERT INTO app_members (app, user_id, created_at_us) VALUES (?1, ?2, ?3)",
                    [.text(scope.app), .text(existing.id), .integer(now)]
                )
                return .addedToApp(existing)
            case .refuse(let outcome):
                return outcome
            }
        }
    }

    package func user(_ identifier: UserIdentifier, in scope: UserScope) async throws -> LoginUser? {
        let (column, value): (String, String) =
            switch identifier {
            case .userID(let value): ("id", value)
            case .phoneNumber(let value): ("phone_number", value)
            case .email(let value): ("email", value)
            case .username(let value): ("username", value)
            }
        let owners = Self.ownerList(scope, firstParameter: 3)
        let sql = """
            SELECT \(Self.userColumns) FROM users
            WHERE \(column) = ?1 AND owner_app IN (\(owners.placeholders))
                AND EXISTS (SELECT 1 FROM app_members WHERE app = ?2 AND user_id = users.id)
            LIMIT 1
            """
        return try await read { try $0.first(sql, [.text(value), .text(scope.app)] + owners.values).map(LoginUser.init(row:)) }
    }

    /// `?N, ?N+1, …` and their values: the apps whose users `scope` sees, as an `IN (…)` list.
    private static func ownerList(_ scope: UserScope, firstParameter: Int) -> (placeholders: String, values: [SQLiteValue]) {
        let placeholders = scope.owners.indices.map { "?\(firstParameter + $0)" }.joined(separator: ", ")
        return (placeholders, scope.owners.map { .text($0) })
    }

    package func markPhoneNumberVerified(userID: String, at date: Date) async throws {
        let micros = Int(date.microsecondsSince1970)
        try await transaction { connection in
            try connection.execute(
                """
                UPDATE users SET phone_verified = 1, phone_verified_at_us = ?2, updated_at_us = ?2
                WHERE id = ?1 AND phone_verified = 0
                """,
                [.text(userID), .integer(micros)]
            )
        }
    }

    // MARK: OTP

    package func putChallenge(_ challenge: OTPChallenge) async throws {
        try await transaction { try Self.put(challenge, on: $0) }
    }

    private static func put(_ challenge: OTPChallenge, on connection: SQLiteDatabase) throws {
        try connection.execute(
            """
            INSERT OR REPLACE INTO otp_challenges (app, user_id, id, code_hash, request_id, sent_to,
                approval_data_json, created_at_us, expires_at_us, owner)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """,
            [
                .text(challenge.app), .text(challenge.userID), .text(challenge.id), .blob(challenge.codeHash),
                .optionalText(challenge.requestID), .optionalText(challenge.sentTo), .optionalText(challenge.approvalDataJSON),
                .integer(Int(challenge.createdAt.microsecondsSince1970)), .integer(Int(challenge.expiresAt.microsecondsSince1970)),
                .optionalText(challenge.owner),
            ]
        )
    }

    package func deleteChallenge(id: String) async throws {
        try await transaction { try $0.execute("DELETE FROM otp_challenges WHERE id = ?1", [.text(id)]) }
    }

    package func assignChallengeOwner(id: String, owner: String) async throws {
        try await transaction { try $0.execute("UPDATE otp_challenges SET owner = ?2 WHERE id = ?1", [.text(id), .text(owner)]) }
    }

    private static let challengeSelect = """
        SELECT app, user_id, id, code_hash, request_id, sent_to, approval_data_json,
            created_at_us, expires_at_us, owner
        FROM otp_challenges WHERE app = ?1 AND user_id = ?2
        """

    package func challenge(app: String, userID: String) async throws -> OTPChallenge? {
        try await transaction { connection in
            try connection.first(Self.challengeSelect, [.text(app), .text(userID)]).map(OTPChallenge.init(row:))
        }
    }

    package func lockedUntil(app: String, userID: String, now: Date) async throws -> Date? {
        try await transaction { try Self.lockedUntil(app: app, userID: userID, now: now, on: $0) }
    }

    private static func lockedUntil(app: String, userID: String, now: Date, on connection: SQLiteDatabase) throws -> Date? {
        let rows = try connection.query(
            "SELECT locked_until_us FROM otp_failures WHERE app = ?1 AND user_id = ?2 AND locked_until_us > ?3",
            [.text(app), .text(userID), .integer(Int(now.microsecondsSince1970))]
        )
        return try rows.first.map { Date(microsecondsSince1970: try $0.integer("locked_until_us", table: "otp_failures")) }
    }

    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        conversion: @escaping @Sendable (OTPChallenge) -> ConversionSend?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
            try await transaction { connection in
                let key: [SQLiteValue] = [.text(app), .text(userID)]
                let nowMicros = Int(now.microsecondsSince1970)
                var failures = 0
                // Whether a failures row is stored: only then is there one to delete on success.
                var failuresStored = false
                let state = try connection.first("SELECT failures, locked_until_us FROM otp_failures WHERE app = ?1 AND user_id = ?2", key)
                if let state {
                    failures = Int(try state.integer("failures", table: "otp_failures"))
                    failuresStored = true
                    if !state.isNull("locked_until_us") {
                        let until = try state.integer("locked_until_us", table: "otp_failures")
                        if until > nowMicros { return .locked(until: Date(microsecondsSince1970: until)) }
                        failures = 0
                        try connection.execute("DELETE FROM otp_failures WHERE app = ?1 AND user_id = ?2", key)
                        failuresStored = false
                    }
                }
                guard let challenge = try connection.first(Self.challengeSelect, key).map(OTPChallenge.init(row:)) else {
                    return .noChallenge
                }
                guard challenge.expiresAt > now else {
                    try connection.execute("DELETE FROM otp_challenges WHERE app = ?1 AND user_id = ?2", key)
                    return .expired
                }
                if matches(challenge) {
                    try connection.execute("DELETE FROM otp_challenges WHERE app = ?1 AND user_id = ?2", key)
                    if failuresStored { try connection.execute("DELETE FROM otp_failures WHERE app = ?1 AND user_id = ?2", key) }
                    if let opening {
                        try Self.insert(opening.session, on: connection)
                        try Self.insert(opening.refreshToken, on: connection)
                    }
                    if let verified = conversion(challenge) { try Self.countConversionVerified(verified, on: connection) }
                    return .accepted(challenge)
                }
                failures += 1
                var lockedUntil: Date?
                if failures >= policy.maxFailures {
                    let until = now.adding(policy.lockout)
                    lockedUntil = until.roundedToMicroseconds
                    try connection.execute("DELETE FROM otp_challenges WHERE app = ?1 AND user_id = ?2", key)
                    try connection.execute(
                        "INSERT OR REPLACE INTO otp_failures (app, user_id, failures, locked_until_us) VALUES (?1, ?2, 0, ?3)",
                        key + [.integer(Int(until.microsecondsSince1970))]
                    )
                } else {
                    try connection.execute(
                        "INSERT OR REPLACE INTO otp_failures (app, user_id, failures, locked_until_us) VALUES (?1, ?2, ?3, NULL)",
                        key + [.integer(failures)]
                    )
                }
                return .rejected(failures: failures, lockedUntil: lockedUntil)
            }
    }

    package func reserveSend(key: String, now: Date, limits: SendLimits) async throws -> SendReservation {
        try await transaction { try Self.reserveSend(key: key, now: now, limits: limits, on: $0) }
    }

    private static func reserveSend(key: String, now: Date, limits: SendLimits, on connection: SQLiteDatabase) throws -> SendReservation {
        let now = now.roundedToMicroseconds
        let nowMicros = Int(now.microsecondsSince1970)
        let recent = try recentSends(key: key, nowMicros: nowMicros, limits: limits, on: connection)
        if let decision = SendLimiter.decide(recent, now: now, limits: limits) { return decision }
        try connection.execute("INSERT INTO otp_sends (key, sent_at_us) VALUES (?1, ?2)", [.text(key), .integer(nowMicros)])
        return .reserved(at: now)
    }

    /// The sends counted under `key` in the hour before `nowMicros`, as `limits` need them: counted
    /// in the index, never read one by one (a per-address key may hold a great many). Older ones
    /// are deleted on the way, by a statement run only when there are any.
    ///
    /// The count walks the hour's entries, and only those; the newest and the oldest are each one
    /// step into the index, which SQLite takes for a `max` or `min` alone in its query.
    private static func recentSends(key: String, nowMicros: Int, limits: SendLimits, on connection: SQLiteDatabase) throws -> RecentSends {
        let hourAgo = nowMicros - 3_600_000_000
        let window = try connection.first(
            """
            SELECT count(*) AS recent,
                (SELECT max(sent_at_us) FROM otp_sends WHERE key = ?1 AND sent_at_us > ?2) AS latest,
                (SELECT min(sent_at_us) FROM otp_sends WHERE key = ?1) AS oldest
            FROM otp_sends WHERE key = ?1 AND sent_at_us > ?2
            """,
            [.text(key), .integer(hourAgo)]
        )
        let count = Int(try window?.integer("recent", table: "otp_sends") ?? 0)
        if let oldest = window?.column("oldest")?.integerValue, oldest <= hourAgo {
            try connection.execute("DELETE FROM otp_sends WHERE key = ?1 AND sent_at_us <= ?2", [.text(key), .integer(hourAgo)])
        }
        var freeing: Date?
        if count >= limits.maxPerHour {
            let row = try connection.first(
                "SELECT sent_at_us FROM otp_sends WHERE key = ?1 AND sent_at_us > ?2 ORDER BY sent_at_us LIMIT 1 OFFSET ?3",
                [.text(key), .integer(hourAgo), .integer(count - limits.maxPerHour)]
            )
            freeing = try row.map { Date(microsecondsSince1970: try $0.integer("sent_at_us", table: "otp_sends")) }
        }
        let latest = window?.column("latest")?.integerValue.map { Date(microsecondsSince1970: Int64($0)) }
        return RecentSends(count: count, latest: latest, freeing: freeing)
    }

    package func cancelSend(key: String, at date: Date) async throws {
        try await transaction { connection in
            try connection.execute(
                "DELETE FROM otp_sends WHERE rowid IN (SELECT rowid FROM otp_sends WHERE key = ?1 AND sent_at_us = ?2 LIMIT 1)",
                [.text(key), .integer(Int(date.microsecondsSince1970))]
            )
        }
    }

    package func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters, now: Date) async throws -> ChallengeIssue {
        try await transaction { connection in
            if let note = abuse.prefix,
                case .blocked(let until, let newly, let numbers) = try Self.notePrefixSend(
                    app: note.app, prefix: note.prefix, number: note.number, now: now, rule: note.rule, on: connection
                )
            {
                return .prefixBlocked(until: until, newly: newly, numbers: numbers)
            }
            if case .overBudget(let counter, let wait, let firstRefusal) = try Self.spendBudget(abuse.budget, now: now, on: connection) {
                return .overBudget(counter, retryAfter: wait, firstRefusal: firstRefusal)
            }
            let issued = try Self.issueCountingSends(challenge, sendLimits: sendLimits, now: now, on: connection)
            if case .issued = issued {
                if let conversion = abuse.conversion { try Self.countConversionSend(conversion, on: connection) }
                return abuse.budget.isEmpty ? issued : .issued(reservedAt: now.roundedToMicroseconds)
            }
            // Refused after the budget was spent: given back in the same transaction, so no one saw it spent.
            try Self.refundBudget(abuse.budget, spentAt: now, on: connection)
            return issued
        }
    }

    private static func issueCountingSends(
        _ challenge: OTPChallenge, sendLimits: [SendLimitKey], now: Date, on connection: SQLiteDatabase
    ) throws -> ChallengeIssue {
        if let until = try Self.lockedUntil(app: challenge.app, userID: challenge.userID, now: now, on: connection) {
            return .locked(until: until)
        }
        let now = now.roundedToMicroseconds
        let nowMicros = Int(now.microsecondsSince1970)
        var longestWait: Duration?
        for limit in sendLimits {
            let recent = try recentSends(key: limit.key, nowMicros: nowMicros, limits: limit.limits, on: connection)
            if case .retryAfter(let wait) = SendLimiter.decide(recent, now: now, limits: limit.limits) {
                longestWait = max(longestWait ?? wait, wait)
            }
        }
        if let longestWait { return .tooManySends(retryAfter: longestWait) }
        for limit in sendLimits {
            try connection.execute("INSERT INTO otp_sends (key, sent_at_us) VALUES (?1, ?2)", [.text(limit.key), .integer(nowMicros)])
        }
        try Self.put(challenge, on: connection)
        return .issued(reservedAt: sendLimits.isEmpty ? nil : now)
    }

    // MARK: Secrets

    package func secret(named name: String, orInsert candidate: [UInt8]) async throws -> [UInt8] {
        try await transaction { connection in
            try connection.execute(
                "INSERT INTO secrets (name, value, created_at_us) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                [.text(name), .blob(candidate), .integer(Int(Date().microsecondsSince1970))]
            )
            guard let row = try connection.first("SELECT value FROM secrets WHERE name = ?1", [.text(name)]) else {
                throw SQLiteStoreError.invalidColumn(table: "secrets", column: "value", value: "missing")
            }
            return try row.bytes("value", table: "secrets")
        }
    }

    // MARK: Sessions

    package func createSession(_ session: UserSession) async throws {
        try await transaction { try Self.insert(session, on: $0) }
    }

    private static func insert(_ session: UserSession, on connection: SQLiteDatabase) throws {
        try connection.execute(
            """
            INSERT INTO sessions (id, app, client_id, user_id, auth_time_us, created_at_us, revoked_at_us)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """,
            [
                .text(session.id), .text(session.app), .text(session.clientID), .text(session.userID),
                .integer(Int(session.authTime.microsecondsSince1970)), .integer(Int(session.createdAt.microsecondsSince1970)),
                .optionalDate(session.revokedAt),
            ]
        )
    }

    package func session(id: String) async throws -> UserSession? {
        try await transaction { connection in
            try connection.query(
                "SELECT id, app, client_id, user_id, auth_time_us, created_at_us, revoked_at_us FROM sessions WHERE id = ?1",
                [.text(id)]
            ).first.map(UserSession.init(row:))
        }
    }

    package func addRefreshToken(_ token: RefreshTokenRecord) async throws {
        try await transaction { try Self.insert(token, on: $0) }
    }

    private static func insert(_ token: RefreshTokenRecord, on connection: SQLiteDatabase) throws {
        try connection.execute(
            "INSERT INTO refresh_tokens (hash, session_id, created_at_us, expires_at_us, rotated_at_us) VALUES (?1, ?2, ?3, ?4, ?5)",
            [
                .blob(token.hash), .text(token.sessionID), .integer(Int(token.createdAt.microsecondsSince1970)),
                .integer(Int(token.expiresAt.microsecondsSince1970)), .optionalDate(token.rotatedAt),
            ]
        )
    }

    package func rotateRefreshToken(hash: [UInt8], owner: SessionOwner, replacement: [UInt8], expiresAt: Date, now: Date) async throws -> RefreshRotation {
        try await transaction { connection in
            let rows = try connection.query(
                """
                SELECT t.expires_at_us, t.rotated_at_us, s.id, s.app, s.client_id, s.user_id, s.auth_time_us,
                    s.created_at_us, s.revoked_at_us
                FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?1
                """,
                [.blob(hash)]
            )
            guard let row = rows.first else { return .invalid }
            let session = try UserSession(row: row)
            guard owner.owns(session), session.revokedAt == nil else { return .invalid }
            let nowMicros = Int(now.microsecondsSince1970)
            if !row.isNull("rotated_at_us") {
                try connection.execute("UPDATE sessions SET revoked_at_us = ?2 WHERE id = ?1", [.text(session.id), .integer(nowMicros)])
                return .reused(sessionID: session.id)
            }
            guard try row.integer("expires_at_us", table: "refresh_tokens") > nowMicros else { return .invalid }
            try connection.execute(
                "UPDATE refresh_tokens SET rotated_at_us = ?2 WHERE hash = ?1", [.blob(hash), .integer(nowMicros)]
            )
            try Self.insert(RefreshTokenRecord(hash: replacement, sessionID: session.id, createdAt: now, expiresAt: expiresAt), on: connection)
            return .rotated(session)
        }
    }

    package func revokeSession(id: String, owner: SessionOwner, at date: Date) async throws -> SessionRevocation {
        try await transaction { connection in
            let session = try connection.first(
                "SELECT id, app, client_id, user_id, auth_time_us, created_at_us, revoked_at_us FROM sessions WHERE id = ?1",
                [.text(id)]
            ).map(UserSession.init(row:))
            guard let session, owner.owns(session) else { return .notFound }
            guard session.revokedAt == nil else { return .alreadyEnded }
            try connection.execute(
                "UPDATE sessions SET revoked_at_us = ?2 WHERE id = ?1", [.text(id), .integer(Int(date.microsecondsSince1970))]
            )
            return .revoked
        }
    }
}

extension LoginUser {
    init(row: SQLiteRow) throws {
        let table = "users"
        self.init(
            id: try row.text("id", table: table),
            phoneNumber: try row.optionalText("phone_number", table: table),
            phoneNumberVerified: try row.integer("phone_verified", table: table) != 0,
            phoneNumberVerifiedAt: try row.optionalDate("phone_verified_at_us", table: table),
            email: try row.optionalText("email", table: table),
            username: try row.optionalText("username", table: table),
            externalUserID: try row.optionalText("external_user_id", table: table),
            nameJSON: try row.optionalText("name_json", table: table),
            customDataJSON: try row.optionalText("custom_data_json", table: table),
            status: try row.value("status", table: table, as: LoginUserStatus.self),
            createdAt: try row.date("created_at_us", table: table),
            updatedAt: try row.date("updated_at_us", table: table)
        )
    }
}

extension OTPChallenge {
    init(row: SQLiteRow) throws {
        let table = "otp_challenges"
        self.init(
            id: try row.text("id", table: table),
            app: try row.text("app", table: table),
            userID: try row.text("user_id", table: table),
            codeHash: try row.bytes("code_hash", table: table),
            requestID: try row.optionalText("request_id", table: table),
            sentTo: try row.optionalText("sent_to", table: table),
            approvalDataJSON: try row.optionalText("approval_data_json", table: table),
            createdAt: try row.date("created_at_us", table: table),
            expiresAt: try row.date("expires_at_us", table: table),
            owner: try row.optionalText("owner", table: table)
        )
    }
}

extension UserSession {
    init(row: SQLiteRow) throws {
        let table = "sessions"
        self.init(
            id: try row.text("id", table: table),
            app: try row.text("app", table: table),
            clientID: try row.text("client_id", table: table),
            userID: try row.text("user_id", table: table),
            authTime: try row.date("auth_time_us", table: table),
            createdAt: try row.date("created_at_us", table: table),
            revokedAt: try row.optionalDate("revoked_at_us", table: table)
        )
    }
}
