import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport

/// A login store that passes every call on and notes the name of each, in order: what a login does
/// to its store, compared between two logins without timing either.
final class RecordingLoginStore: LoginStore {
    private let base: any LoginStore
    private let calls = Locked<[String]>([])

    init(_ base: any LoginStore = MemoryLoginStore()) {
        self.base = base
    }

    /// The calls made so far, oldest first.
    var recorded: [String] { calls.withLock { $0 } }

    /// What `body` returns, and the calls made while it ran, in order.
    func callsDuring<T>(_ body: () async throws -> T) async rethrows -> (value: T, calls: [String]) {
        let before = recorded.count
        let value = try await body()
        return (value, Array(recorded.dropFirst(before)))
    }

    private func note(_ name: String) { calls.withLock { $0.append(name) } }

    func createUser(_ user: LoginUser, in scope: UserScope) async throws -> CreateUserOutcome {
        note("createUser")
        return try await base.createUser(user, in: scope)
    }

    func user(_ identifier: UserIdentifier, in scope: UserScope) async throws -> LoginUser? {
        note("user")
        return try await base.user(identifier, in: scope)
    }

    func markPhoneNumberVerified(userID: String, at date: Date) async throws {
        note("markPhoneNumberVerified")
        try await base.markPhoneNumberVerified(userID: userID, at: date)
    }

    func putChallenge(_ challenge: OTPChallenge) async throws {
        note("putChallenge")
        try await base.putChallenge(challenge)
    }

    func deleteChallenge(id: String) async throws {
        note("deleteChallenge")
        try await base.deleteChallenge(id: id)
    }

    func assignChallengeOwner(id: String, owner: String) async throws {
        note("assignChallengeOwner")
        try await base.assignChallengeOwner(id: id, owner: owner)
    }

    func challenge(app: String, userID: String) async throws -> OTPChallenge? {
        note("challenge")
        return try await base.challenge(app: app, userID: userID)
    }

    func lockedUntil(app: String, userID: String, now: Date) async throws -> Date? {
        note("lockedUntil")
        return try await base.lockedUntil(app: app, userID: userID, now: now)
    }

    func attempt(
        app: String, userID: String, now: Date, policy: LockoutPolicy, opening: NewSession?,
        conversion: @escaping @Sendable (OTPChallenge) -> ConversionSend?,
        matches: @escaping @Sendable (OTPChallenge) -> Bool
    ) async throws -> OTPAttemptOutcome {
        note("attempt")
        return try await base.attempt(app: app, userID: userID, now: now, policy: policy, opening: opening, conversion: conversion, matches: matches)
    }

    func reserveSend(key: String, now: Date, limits: SendLimits) async throws -> SendReservation {
        note("reserveSend")
        return try await base.reserveSend(key: key, now: now, limits: limits)
    }

    func cancelSend(key: String, at date: Date) async throws {
        note("cancelSend")
        try await base.cancelSend(key: key, at: date)
    }

    func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters, now: Date) async throws -> ChallengeIssue {
        let counted = [
            sendLimits.isEmpty ? nil : "the send", abuse.prefix == nil ? nil : "the prefix", abuse.budget.isEmpty ? nil : "the budget",
            abuse.conversion == nil ? nil : "the conversion",
        ].compactMap { $0 }
        note(counted.isEmpty ? "issueChallenge" : "issueChallenge, counting " + counted.joined(separator: ", "))
        return try await base.issueChallenge(challenge, sendLimits: sendLimits, abuse: abuse, now: now)
    }

    func notePrefixSend(app: String, prefix: String, number: String, now: Date, rule: PrefixVelocityRule) async throws -> PrefixCheck {
        note("notePrefixSend")
        return try await base.notePrefixSend(app: app, prefix: prefix, number: number, now: now, rule: rule)
    }

    func blockedPrefixes(now: Date) async throws -> [BlockedPrefix] {
        note("blockedPrefixes")
        return try await base.blockedPrefixes(now: now)
    }

    func unblockPrefix(_ prefix: String, now: Date) async throws -> [String] {
        note("unblockPrefix")
        return try await base.unblockPrefix(prefix, now: now)
    }

    func spendBudget(_ counters: [BudgetCounter], now: Date) async throws -> BudgetSpend {
        note("spendBudget")
        return try await base.spendBudget(counters, now: now)
    }

    func refundBudget(_ counters: [BudgetCounter], spentAt: Date) async throws {
        note("refundBudget")
        try await base.refundBudget(counters, spentAt: spentAt)
    }

    func countConversionSend(app: String, scopes: [ConversionScope], at: Date, limits: [ConversionScope: Int]) async throws -> ConversionSendCount {
        note("countConversionSend")
        return try await base.countConversionSend(app: app, scopes: scopes, at: at, limits: limits)
    }

    func uncountConversionSend(app: String, scopes: [ConversionScope], at: Date) async throws {
        note("uncountConversionSend")
        try await base.uncountConversionSend(app: app, scopes: scopes, at: at)
    }

    func countConversionVerified(app: String, scopes: [ConversionScope], sentAt: Date) async throws {
        note("countConversionVerified")
        try await base.countConversionVerified(app: app, scopes: scopes, sentAt: sentAt)
    }

    func conversionTallies(app: String, since: Date, minSends: Int) async throws -> [ConversionTally] {
        note("conversionTallies")
        return try await base.conversionTallies(app: app, since: since, minSends: minSends)
    }

    func forgetConversion(_ scope: ConversionScope) async throws {
        note("forgetConversion")
        try await base.forgetConversion(scope)
    }

    func secret(named name: String, orInsert candidate: [UInt8]) async throws -> [UInt8] {
        note("secret")
        return try await base.secret(named: name, orInsert: candidate)
    }

    func createSession(_ session: UserSession) async throws {
        note("createSession")
        try await base.createSession(session)
    }

    func session(id: String) async throws -> UserSession? {
        note("session")
        return try await base.session(id: id)
    }

    func addRefreshToken(_ token: RefreshTokenRecord) async throws {
        note("addRefreshToken")
        try await base.addRefreshToken(token)
    }

    func rotateRefreshToken(hash: [UInt8], owner: SessionOwner, replacement: [UInt8], expiresAt: Date, now: Date) async throws -> RefreshRotation {
        note("rotateRefreshToken")
        return try await base.rotateRefreshToken(hash: hash, owner: owner, replacement: replacement, expiresAt: expiresAt, now: now)
    }

    func revokeSession(id: String, owner: SessionOwner, at date: Date) async throws -> SessionRevocation {
        note("revokeSession")
        return try await base.revokeSession(id: id, owner: owner, at: date)
    }
}

/// An inbox whose deliveries wait for a gate: the default provider's send is held until the test
/// opens it, so the test knows what was answered before any message was delivered.
struct GatedInbox: InboxStore {
    let base: any InboxStore
    let gate: Gate

    func deliver(_ message: InboxMessage) async throws -> InboxMessage {
        await gate.wait()
        return try await base.deliver(message)
    }

    func inbox(to: String?, after sequence: Int64?, limit: Int) async throws -> [InboxMessage] {
        try await base.inbox(to: to, after: sequence, limit: limit)
    }

    func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage] {
        try await base.latestInbox(to: to, limit: limit)
    }
}
