package import Foundation

/// Users, the app that owns each, and their app memberships.
package protocol UserStore: Sendable {
    /// Creates the user, owned by `scope.app` and a member of it, or adds the user `scope` sees with
    /// these identifiers to the app, as ``UserMatching/decide(candidate:matches:isMember:)`` says.
    ///
    /// Identifiers are unique among the users one scope sees, not in the whole store: apps that
    /// do not share users may each have their own user with the same phone number. Atomic: two
    /// concurrent calls with the same phone number in one scope create one user.
    func createUser(_ user: LoginUser, in scope: UserScope) async throws -> CreateUserOutcome
    /// The user with this identifier that is a member of `scope.app` and owned by one of
    /// `scope.owners`, or `nil`.
    func user(_ identifier: UserIdentifier, in scope: UserScope) async throws -> LoginUser?
    /// Marks the phone number verified, keeping the first verification time.
    func markPhoneNumberVerified(userID: String, at date: Date) async throws
}

/// OTP challenges, failure counters and lockouts, and send counters.
///
/// Every method is atomic with respect to the others for the same app and user (or number).
package protocol OTPStore: Sendable {
    /// Stores the challenge, replacing the user's previous one in the app.
    func putChallenge(_ challenge: OTPChallenge) async throws
    /// Removes the challenge with this id if it is still the live one.
    func deleteChallenge(id: String) async throws
    /// Records that the verify provider `owner` holds the code of the challenge with this id, if
    /// it is still the live one; otherwise changes nothing.
    func assignChallengeOwner(id: String, owner: String) async throws
    /// The live challenge of the user in the app, or `nil`.
    func challenge(app: String, userID: String) async throws -> OTPChallenge?
    /// When the lock on the user in the app ends, or `nil` when not locked at `now`.
    func lockedUntil(app: String, userID: String, now: Date) async throws -> Date?
    /// Checks a code against the live challenge and counts the outcome, atomically.
    ///
    /// A lock that has ended is cleared first (the count starts afresh). `matches` is called with
    /// the live unexpired challenge before the outcome is counted, and the outcome counted is the
    /// one for that challenge: a store that judges outside its critical section calls it again
    /// when a send replaced the challenge in between.
    /// When the code is accepted and `opening` is given, that session and its first refresh token
    /// are stored in the same step: checking a code and opening the session are one commit. So is
    /// the verification `conversion` names for the accepted challenge, counted under the
    /// conversion rule (``ConversionStore/countConversionVerified(app:scopes:sentAt:)``).
    func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        conversion: @escaping @Sendable (OTPChallenge) -> ConversionSend?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome
    /// Counts a send to `key` (an app's number) if the limits allow it, atomically.
    func reserveSend(key: String, now: Date, limits: SendLimits) async throws -> SendReservation
    /// Uncounts a reservation whose message was not sent.
    func cancelSend(key: String, at date: Date) async throws
    /// Issues a challenge in one atomic step, checking in this order: the prefix of `abuse.prefix`
    /// (noted, and blocked when this number is one too many, as
    /// ``PrefixVelocityStore/notePrefixSend(app:prefix:number:now:rule:)``); the budgets of
    /// `abuse.budget` (a spent one is marked refused, as ``SendBudgetStore/spendBudget(_:now:)``);
    /// the user's lock at `now`; every one of `sendLimits` (the longest wait is the answer). The
    /// first refusal ends the step, keeping only what the checks before it wrote (the prefix note,
    /// a budget's refusal mark); otherwise the send is counted against every limit and budget,
    /// stamped with one instant, and the challenge replaces the user's previous one.
    ///
    /// One step rather than ``notePrefixSend(app:prefix:number:now:rule:)``,
    /// ``spendBudget(_:now:)``, ``lockedUntil(app:userID:now:)``, ``reserveSend(key:now:limits:)``
    /// and ``putChallenge(_:)`` in turn: each is a durable commit the send waits for.
    func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters, now: Date) async throws -> ChallengeIssue
}

extension OTPStore {
    /// ``issueChallenge(_:sendLimits:abuse:now:)`` with no abuse counter.
    package func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], now: Date) async throws -> ChallengeIssue {
        try await issueChallenge(challenge, sendLimits: sendLimits, abuse: .none, now: now)
    }

    /// ``issueChallenge(_:sendLimits:abuse:now:)`` with one send limit or none, and no abuse counter.
    package func issueChallenge(_ challenge: OTPChallenge, sendLimit: SendLimitKey?, now: Date) async throws -> ChallengeIssue {
        try await issueChallenge(challenge, sendLimits: sendLimit.map { [$0] } ?? [], abuse: .none, now: now)
    }

    /// ``attempt(app:userID:now:policy:opening:conversion:matches:)`` that counts no verification.
    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?, matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
        try await attempt(app: app, userID: userID, now: now, policy: policy, opening: opening, conversion: { _ in nil }, matches: matches)
    }

    /// ``attempt(app:userID:now:policy:opening:conversion:matches:)`` that opens no session and counts no verification.
    package func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
        try await attempt(app: app, userID: userID, now: now, policy: policy, opening: nil, conversion: { _ in nil }, matches: matches)
    }
}

/// Named secrets the server creates for itself: the code-hashing key and the token signing key.
package protocol SecretStore: Sendable {
    /// The secret named `name`; when there is none, `candidate` is stored and returned.
    ///
    /// Atomic: concurrent first calls all get the same value.
    func secret(named name: String, orInsert candidate: [UInt8]) async throws -> [UInt8]
}

/// Login sessions and their refresh tokens.
package protocol SessionStore: Sendable {
    func createSession(_ session: UserSession) async throws
    func session(id: String) async throws -> UserSession?
    func addRefreshToken(_ token: RefreshTokenRecord) async throws
    /// Exchanges a refresh token for a new one, atomically (see ``RefreshRotation``).
    ///
    /// A token of another client's session is ``RefreshRotation/invalid`` and changes nothing,
    /// exactly as an unknown one: presenting it does not count as reuse.
    func rotateRefreshToken(hash: [UInt8], owner: SessionOwner, replacement: [UInt8], expiresAt: Date, now: Date) async throws -> RefreshRotation
    /// Revokes the session if `owner` opened it; its refresh tokens stop working.
    func revokeSession(id: String, owner: SessionOwner, at date: Date) async throws -> SessionRevocation
}

/// Everything the OTP login flow keeps.
package typealias LoginStore = UserStore & OTPStore & SecretStore & SessionStore & SendBudgetStore & PrefixVelocityStore & ConversionStore

/// Support's way to end a lockout (`DELETE /admin/apps/{app}/lockouts/{phone}`).
package protocol LockoutRelease: Sendable {
    /// Ends the user's lock in the app, if any, and clears the count of failed codes.
    /// - Returns: Whether a lock was in force at `now`.
    func unlock(app: String, userID: String, now: Date) async throws -> Bool
}
