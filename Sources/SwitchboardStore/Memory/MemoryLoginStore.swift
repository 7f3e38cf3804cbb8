package import Foundation
package import SwitchboardCore

/// The OTP login state in memory, for tests and `.router` server tests.
///
/// Being an actor makes every method one critical section, which gives the atomicity the
/// protocols ask for. Dates are kept to the microsecond, as ``SQLiteStore`` keeps them.
package actor MemoryLoginStore: LoginStore {
    private var users: [String: LoginUser] = [:]
    /// The app that created each user, by user id.
    private var owners: [String: String] = [:]
    private var memberships: Set<[String]> = []
    var challenges: [String: OTPChallenge] = [:]
    private var failures: [String: (count: Int, lockedUntil: Date?)] = [:]
    private var sends: [String: [Date]] = [:]
    private var secrets: [String: [UInt8]] = [:]
    var sessions: [String: UserSession] = [:]
    var refreshTokens: [[UInt8]: RefreshTokenRecord] = [:]

    /// Creates an empty store.
    package init() {}

    // MARK: Users

    package func createUser(_ user: LoginUser, in scope: UserScope) -> CreateUserOutcome {
        var user = user
        user.createdAt = user.createdAt.roundedToMicroseconds
        user.updatedAt = user.updatedAt.roundedToMicroseconds
        let visible = users.values.filter { isOwned($0, within: scope) }
        var matches: [(field: String, user: LoginUser)] = []
        for field in UserMatching.fields {
            guard let value = user[keyPath: field.value] else { continue }
            for found in visible where found[keyPath: field.value] == value { matches.append((field.name, found)) }
        }
        switch UserMatching.decide(candidate: user, matches: matches, isMember: { memberships.contains([$0.id, scope.app]) }) {
        case .create:
            users[user.id] = user
            owners[user.id] = scope.app
            memberships.insert([user.id, scope.app])
            return .created(user)
        case .addToApp(let existing):
            memberships.insert([existing.id, scope.app])
            return .addedToApp(existing)
        case .refuse(let outcome):
            return outcome
        }
    }

    package func user(_ identifier: UserIdentifier, in scope: UserScope) -> LoginUser? {
        let candidates: [LoginUser]
        switch identifier {
        case .userID(let id): candidates = users[id].map { [$0] } ?? []
        case .phoneNumber(let value): candidates = users.values.filter { $0.phoneNumber == value }
        case .email(let value): candidates = users.values.filter { $0.email == value }
        case .username(let value): candidates = users.values.filter { $0.username == value }
        }
        return candidates.first { found in
            memberships.contains([found.id, scope.app]) && isOwned(found, within: scope)
        }
    }

    private func isOwned(_ user: LoginUser, within scope: UserScope) -> Bool {
        guard let owner = owners[user.id] else { return false }
        return scope.owners.contains(owner)
    }

    package func markPhoneNumberVerified(userID: String, at date: Date) {
        guard var user = users[userID], !user.phoneNumberVerified else { return }
        user.phoneNumberVerified = true
        user.phoneNumberVerifiedAt = date.roundedToMicroseconds
        user.updatedAt = date.roundedToMicroseconds
        users[userID] = user
    }

    // MARK: OTP

    private static func key(_ app: String, _ userID: String) -> String { "\(app)\u{0}\(userID)" }

    package func putChallenge(_ challenge: OTPChallenge) {
        var challenge = challenge
        challenge.createdAt = challenge.createdAt.roundedToMicroseconds
        challenge.expiresAt = challenge.expiresAt.roundedToMicroseconds
        challenges[Self.key(challenge.app, challenge.userID)] = challenge
    }

    package func deleteChallenge(id: String) {
        guard let key = challenges.first(where: { $0.value.id == id })?.key else { return }
        challenges[key] = nil
    }

    package func assignChallengeOwner(id: String, owner: String) {
        guard let key = challenges.first(where: { $0.value.id == id })?.key else { return }
        challenges[key]?.owner = owner
    }

    package func challenge(app: String, userID: String) -> OTPChallenge? {
        challenges[Self.key(app, userID)]
    }

    package func lockedUntil(app: String, userID: String, now: Date) -> Date? {
        guard let until = failures[Self.key(app, userID)]?.lockedUntil, until > now else { return nil }
        return until
    }

    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) -> OTPAttemptOutcome {
        let key = Self.key(app, userID)
        var state = failures[key] ?? (0, nil)
        if let until = state.lockedUntil {
            if until > now { return .locked(until: until) }
            state = (0, nil)
            failures[key] = state
        }
        guard let challenge = challenges[key] else { return .noChallenge }
        guard challenge.expiresAt > now else {
            challenges[key] = nil
            return .expired
        }
        if matches(challenge) {
            challenges[key] = nil
            failures[key] = nil
            if let opening {
                createSession(opening.session)
                addRefreshToken(opening.refreshToken)
            }
            return .accepted(challenge)
        }
        state.count += 1
        if state.count >= policy.maxFailures {
            let until = now.adding(policy.lockout).roundedToMicroseconds
            challenges[key] = nil
            failures[key] = (0, until)
            return .rejected(failures: state.count, lockedUntil: until)
        }
        failures[key] = state
        return .rejected(failures: state.count, lockedUntil: nil)
    }

    package func reserveSend(key: String, now: Date, limits: SendLimits) -> SendReservation {
        let now = now.roundedToMicroseconds
        let hourAgo = now.addingTimeInterval(-3600)
        let recent = (sends[key] ?? []).filter { $0 > hourAgo }
        if let decision = SendLimiter.decide(recent: recent, now: now, limits: limits) {
            sends[key] = recent
            return decision
        }
        sends[key] = recent + [now]
        return .reserved(at: now)
    }

    package func cancelSend(key: String, at date: Date) {
        let date = date.roundedToMicroseconds
        guard var dates = sends[key], let index = dates.lastIndex(of: date) else { return }
        dates.remove(at: index)
        sends[key] = dates
    }

    package func issueChallenge(_ challenge: OTPChallenge, sendLimit: SendLimitKey?, now: Date) -> ChallengeIssue {
        if let until = lockedUntil(app: challenge.app, userID: challenge.userID, now: now) { return .locked(until: until) }
        var reservedAt: Date?
        if let sendLimit {
            switch reserveSend(key: sendLimit.key, now: now, limits: sendLimit.limits) {
            case .reserved(let at): reservedAt = at
            case .retryAfter(let wait): return .tooManySends(retryAfter: wait)
            }
        }
        putChallenge(challenge)
        return .issued(reservedAt: reservedAt)
    }

    // MARK: Secrets

    package func secret(named name: String, orInsert candidate: [UInt8]) -> [UInt8] {
        if let existing = secrets[name] { return existing }
        secrets[name] = candidate
        return candidate
    }

    // MARK: Sessions

    package func createSession(_ session: UserSession) {
        var session = session
        session.authTime = session.authTime.roundedToMicroseconds
        session.createdAt = session.createdAt.roundedToMicroseconds
        session.revokedAt = session.revokedAt?.roundedToMicroseconds
        sessions[session.id] = session
    }

    package func session(id: String) -> UserSession? {
        sessions[id]
    }

    package func addRefreshToken(_ token: RefreshTokenRecord) {
        var token = token
        token.createdAt = token.createdAt.roundedToMicroseconds
        token.expiresAt = token.expiresAt.roundedToMicroseconds
        token.rotatedAt = token.rotatedAt?.roundedToMicroseconds
        refreshTokens[token.hash] = token
    }

    package func rotateRefreshToken(hash: [UInt8], owner: SessionOwner, replacement: [UInt8], expiresAt: Date, now: Date) -> RefreshRotation {
        guard var token = refreshTokens[hash], let session = sessions[token.sessionID], owner.owns(session),
            session.revokedAt == nil
        else { return .invalid }
        if token.rotatedAt != nil {
            sessions[session.id]?.revokedAt = now.roundedToMicroseconds
            return .reused(sessionID: session.id)
        }
        guard token.expiresAt > now else { return .invalid }
        token.rotatedAt = now.roundedToMicroseconds
        refreshTokens[hash] = token
        addRefreshToken(RefreshTokenRecord(hash: replacement, sessionID: session.id, createdAt: now, expiresAt: expiresAt))
        return .rotated(session)
    }

    package func revokeSession(id: String, owner: SessionOwner, at date: Date) -> SessionRevocation {
        guard let session = sessions[id], owner.owns(session) else { return .notFound }
        guard session.revokedAt == nil else { return .alreadyEnded }
        sessions[id]?.revokedAt = date.roundedToMicroseconds
        return .revoked
    }
}

extension MemoryLoginStore: LockoutRelease {
    package func unlock(app: String, userID: String, now: Date) -> Bool {
        let key = Self.key(app, userID)
        let wasLocked = failures[key]?.lockedUntil.map { $0 > now } ?? false
        failures[key] = nil
        return wasLocked
    }
}
