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
    /// Budget counters by key: the window they count in, and its count.
    private var budgets: [String: (windowStart: Int64, count: BudgetLimiter.Count)] = [:]
    /// When each number was last asked for, by app and prefix.
    private var prefixNumbers: [[String]: [String: Date]] = [:]
    private var blocks: [[String]: BlockedPrefix] = [:]
    /// Codes sent and verified per app, scope and minute (`otp.conversion`).
    var conversionBuckets: [ConversionBucket: (sent: Int, verified: Int)] = [:]
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
        conversion: @escaping @Sendable (OTPChallenge) -> ConversionSend?,
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
            if let verified = conversion(challenge) { countConversionVerified(app: verified.app, scopes: verified.scopes, sentAt: verified.at) }
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

    package func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters, now: Date) -> ChallengeIssue {
        if let note = abuse.prefix,
            case .blocked(let until, let newly, let numbers) = notePrefixSend(
                app: note.app, prefix: note.prefix, number: note.number, now: now, rule: note.rule
            )
        {
            return .prefixBlocked(until: until, newly: newly, numbers: numbers)
        }
        if case .overBudget(let counter, let wait, let firstRefusal) = spendBudget(abuse.budget, now: now) {
            return .overBudget(counter, retryAfter: wait, firstRefusal: firstRefusal)
        }
        // One actor step: the budget spent above is given back before anyone else can see it.
        let issued = issueCountingSends(challenge, sendLimits: sendLimits, now: now)
        if case .issued = issued {
            if let conversion = abuse.conversion {
                _ = countConversionSend(app: conversion.app, scopes: conversion.scopes, at: conversion.at, limits: [:])
            }
            return abuse.budget.isEmpty ? issued : .issued(reservedAt: now.roundedToMicroseconds)
        }
        refundBudget(abuse.budget, spentAt: now)
        return issued
    }

    private func issueCountingSends(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], now: Date) -> ChallengeIssue {
        if let until = lockedUntil(app: challenge.app, userID: challenge.userID, now: now) { return .locked(until: until) }
        let now = now.roundedToMicroseconds
        let hourAgo = now.addingTimeInterval(-3600)
        var longestWait: Duration?
        for limit in sendLimits {
            let recent = (sends[limit.key] ?? []).filter { $0 > hourAgo }
            sends[limit.key] = recent
            if case .retryAfter(let wait) = SendLimiter.decide(recent: recent, now: now, limits: limit.limits) {
                longestWait = max(longestWait ?? wait, wait)
            }
        }
        if let longestWait { return .tooManySends(retryAfter: longestWait) }
        for limit in sendLimits { sends[limit.key, default: []].append(now) }
        putChallenge(challenge)
        return .issued(reservedAt: sendLimits.isEmpty ? nil : now)
    }

    // MARK: Budgets

    package func spendBudget(_ counters: [BudgetCounter], now: Date) -> BudgetSpend {
        let now = now.microsecondsSince1970
        let counts = counters.map { counter in
            let start = counter.rate.window.start(containing: now)
            guard let kept = budgets[counter.key], kept.windowStart == start else { return BudgetLimiter.Count(sends: 0, refused: false) }
            return kept.count
        }
        let spend = BudgetLimiter.decide(counters, counts: counts, nowMicroseconds: now)
        switch spend {
        case .spent:
            for (counter, count) in zip(counters, counts) {
                budgets[counter.key] = (counter.rate.window.start(containing: now), BudgetLimiter.Count(sends: count.sends + 1, refused: count.refused))
            }
        case .overBudget(let counter, _, _):
            budgets[counter.key]?.count.refused = true
        }
        return spend
    }

    package func refundBudget(_ counters: [BudgetCounter], spentAt: Date) {
        let at = spentAt.microsecondsSince1970
        for counter in counters {
            guard let kept = budgets[counter.key], kept.windowStart == counter.rate.window.start(containing: at), kept.count.sends > 0 else { continue }
            budgets[counter.key]?.count.sends -= 1
        }
    }

    // MARK: Prefix velocity

    package func notePrefixSend(app: String, prefix: String, number: String, now: Date, rule: PrefixVelocityRule) -> PrefixCheck {
        let now = now.roundedToMicroseconds
        let key = [app, prefix]
        if let block = blocks[key], block.until > now { return .blocked(until: block.until, newly: false, numbers: block.numbers) }
        let windowStart = now.addingTimeInterval(-rule.window.timeInterval)
        var seen = (prefixNumbers[key] ?? [:]).filter { $0.value > windowStart }
        seen[number] = now
        prefixNumbers[key] = seen
        guard rule.blocks(distinctNumbers: seen.count) else { return .allowed }
        let until = now.adding(rule.blockFor).roundedToMicroseconds
        blocks[key] = BlockedPrefix(app: app, prefix: prefix, blockedAt: now, until: until, numbers: seen.count)
        return .blocked(until: until, newly: true, numbers: seen.count)
    }

    package func blockedPrefixes(now: Date) -> [BlockedPrefix] {
        blocks.values.filter { $0.until > now }.sorted { ($0.app, $0.prefix) < ($1.app, $1.prefix) }
    }

    package func unblockPrefix(_ prefix: String, now: Date) -> [String] {
        let ended = blocks.values.filter { $0.prefix == prefix && $0.until > now }.map(\.app).sorted()
        for key in blocks.keys where key[1] == prefix { blocks[key] = nil }
        for key in prefixNumbers.keys where key[1] == prefix { prefixNumbers[key] = nil }
        return ended
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

extension MemoryLoginStore: AbuseCounterRetention {
    package func purgeAbuseCounters(_ kind: AbuseCounterKind, before cutoff: Date, limit: Int) -> Int {
        let cutoff = cutoff.microsecondsSince1970
        var deleted = 0
        func take() -> Bool {
            guard deleted < limit else { return false }
            deleted += 1
            return true
        }
        switch kind {
        case .prefixNumbers:
            for (key, numbers) in prefixNumbers {
                for (number, seen) in numbers where seen.microsecondsSince1970 < cutoff && take() { prefixNumbers[key]?[number] = nil }
                if prefixNumbers[key]?.isEmpty == true { prefixNumbers[key] = nil }
            }
        case .blockedPrefixes:
            for (key, block) in blocks where block.until.microsecondsSince1970 < cutoff && take() { blocks[key] = nil }
        case .sendBudgets:
            for (key, kept) in budgets where kept.windowStart < cutoff && take() { budgets[key] = nil }
        case .conversionBuckets:
            for bucket in conversionBuckets.keys where bucket.start < cutoff && take() { conversionBuckets[bucket] = nil }
        }
        return deleted
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
