import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// An OTP send's prefix note and budgets, kept in the same store step as its challenge, on every
/// store: the checks refuse in their order, and each refusal keeps only what the steps one by one
/// kept (the prefix note, a budget's refusal mark), never a spent budget or a counted send.
@Suite("Issue with abuse counters store contract")
struct IssueAbuseCountersContractTests {
    /// On an hour boundary, so the windows' ends are whole figures.
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let budget = BudgetCounter(key: "demo:country:GB:hour", scope: "GB", rate: BudgetRate(limit: 2, window: .hour))
    var rule: PrefixVelocityRule {
        var rule = PrefixVelocityRule()
        rule.maxNumbers = 2
        rule.window = .seconds(600)
        rule.blockFor = .seconds(3600)
        return rule
    }

    func number(_ index: Int) -> String { "+44770090000\(index)" }

    func challenge(_ index: Int, at seconds: Double) -> OTPChallenge {
        let at = t0.addingTimeInterval(seconds)
        return OTPChallenge(
            id: "c\(index)-\(Int(seconds))", app: "demo", userID: "u\(index)", codeHash: Array("hash-\(index)".utf8), sentTo: number(index),
            createdAt: at, expiresAt: at.addingTimeInterval(300)
        )
    }

    func limits(_ index: Int) -> [SendLimitKey] {
        [SendLimitKey(key: "demo:\(number(index))", limits: SendLimits(resendAfter: .seconds(30), maxPerHour: 10))]
    }

    func abuse(_ index: Int) -> SendAbuseCounters {
        SendAbuseCounters(prefix: PrefixNote(app: "demo", prefix: "4477009", number: number(index), rule: rule), budget: [budget])
    }

    func issue(_ index: Int, at seconds: Double, on store: any LoginStore) async throws -> ChallengeIssue {
        try await store.issueChallenge(challenge(index, at: seconds), sendLimits: limits(index), abuse: abuse(index), now: t0.addingTimeInterval(seconds))
    }

    @Test(arguments: StoreKind.allCases)
    func anIssueSpendsTheBudgetNotesThePrefixAndCountsTheSend(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            #expect(try await issue(1, at: 0, on: store) == .issued(reservedAt: t0))
            #expect(try await store.challenge(app: "demo", userID: "u1")?.id == "c1-0")
            // The send was counted against its number: another inside the cool-down is refused.
            #expect(try await issue(1, at: 10, on: store) == .tooManySends(retryAfter: .seconds(20)))
            // One of the budget's two was spent: one more is left.
            #expect(try await store.spendBudget([budget], now: t0.addingTimeInterval(11)) == .spent)
            #expect(try await store.spendBudget([budget], now: t0.addingTimeInterval(12)) != .spent)
            // The number was noted: with two more numbers the prefix holds three, one too many.
            #expect(try await store.notePrefixSend(app: "demo", prefix: "4477009", number: number(2), now: t0.addingTimeInterval(13), rule: rule) == .allowed)
            let third = try await store.notePrefixSend(app: "demo", prefix: "4477009", number: number(3), now: t0.addingTimeInterval(14), rule: rule)
            #expect(third == .blocked(until: t0.addingTimeInterval(3614), newly: true, numbers: 3))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBlockedPrefixRefusesBeforeTheBudgetIsSpentOrTheSendCounted(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            #expect(try await issue(1, at: 0, on: store) == .issued(reservedAt: t0))
            #expect(try await issue(2, at: 1, on: store) == .issued(reservedAt: t0.addingTimeInterval(1)))
            // The budget is spent now, but the prefix is checked first: the third number blocks it.
            let blocking = try await issue(3, at: 2, on: store)
            #expect(blocking == .prefixBlocked(until: t0.addingTimeInterval(3602), newly: true, numbers: 3))
            #expect(try await issue(1, at: 40, on: store) == .prefixBlocked(until: t0.addingTimeInterval(3602), newly: false, numbers: 3))
            #expect(try await store.challenge(app: "demo", userID: "u3") == nil)
            // Neither refusal marked the budget refused: its first refusal is still to come.
            let spent = try await store.spendBudget([budget], now: t0.addingTimeInterval(41))
            #expect(spent == .overBudget(budget, retryAfter: .seconds(3559), firstRefusal: true))
            // Nor counted a send: number 3 may be sent to at once.
            #expect(try await store.reserveSend(key: limits(3)[0].key, now: t0.addingTimeInterval(42), limits: limits(3)[0].limits) == .reserved(at: t0.addingTimeInterval(42)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSpentBudgetRefusesKeepingThePrefixNoteAndCountingNoSend(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            _ = try await store.spendBudget([budget], now: t0)
            _ = try await store.spendBudget([budget], now: t0)
            let refused = try await issue(1, at: 1, on: store)
            #expect(refused == .overBudget(budget, retryAfter: .seconds(3599), firstRefusal: true))
            #expect(try await issue(1, at: 2, on: store) == .overBudget(budget, retryAfter: .seconds(3598), firstRefusal: false))
            #expect(try await store.challenge(app: "demo", userID: "u1") == nil)
            // No send was counted against the number.
            #expect(try await store.reserveSend(key: limits(1)[0].key, now: t0.addingTimeInterval(3), limits: limits(1)[0].limits) == .reserved(at: t0.addingTimeInterval(3)))
            // The number was noted under the prefix as before: two more numbers block it.
            _ = try await store.notePrefixSend(app: "demo", prefix: "4477009", number: number(2), now: t0.addingTimeInterval(4), rule: rule)
            let third = try await store.notePrefixSend(app: "demo", prefix: "4477009", number: number(3), now: t0.addingTimeInterval(5), rule: rule)
            #expect(third == .blocked(until: t0.addingTimeInterval(3605), newly: true, numbers: 3))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLockedUserOrAWaitSpendsNoBudget(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            #expect(try await issue(1, at: 0, on: store) == .issued(reservedAt: t0))
            // Inside the cool-down: refused, and the budget's second send is not spent.
            #expect(try await issue(1, at: 1, on: store) == .tooManySends(retryAfter: .seconds(29)))
            // A locked user: refused, and still nothing spent.
            let policy = LockoutPolicy(maxFailures: 1, lockout: .seconds(900))
            _ = try await store.attempt(app: "demo", userID: "u1", now: t0.addingTimeInterval(2), policy: policy) { _ in false }
            #expect(try await issue(1, at: 40, on: store) == .locked(until: t0.addingTimeInterval(902)))
            #expect(try await store.spendBudget([budget], now: t0.addingTimeInterval(41)) == .spent)
            #expect(try await store.spendBudget([budget], now: t0.addingTimeInterval(42)) == .overBudget(budget, retryAfter: .seconds(3558), firstRefusal: true))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCountedSendIsGivenBackWhenItsMessageIsNotSent(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            guard case .issued(let reservedAt?) = try await issue(1, at: 0, on: store) else {
                Issue.record("the first issue was refused or counted nothing")
                return
            }
            try await store.refundBudget([budget], spentAt: reservedAt)
            try await store.cancelSend(key: limits(1)[0].key, at: reservedAt)
            // Both of the budget's sends are there again, and the number has no cool-down.
            #expect(try await issue(1, at: 1, on: store) == .issued(reservedAt: t0.addingTimeInterval(1)))
            #expect(try await store.spendBudget([budget], now: t0.addingTimeInterval(2)) == .spent)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theIssueStepCountsAnIssuedCodeUnderTheConversionRuleAndARefusedOneNot(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let scopes: [ConversionScope] = [.country("GB"), .prefix("4477009")]
            func issue(_ index: Int, at seconds: Double) async throws -> ChallengeIssue {
                var abuse = SendAbuseCounters()
                abuse.conversion = ConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(seconds))
                return try await store.issueChallenge(
                    challenge(index, at: seconds), sendLimits: limits(index), abuse: abuse, now: t0.addingTimeInterval(seconds)
                )
            }
            #expect(try await issue(1, at: 0) == .issued(reservedAt: t0))
            #expect(try await issue(2, at: 1) == .issued(reservedAt: t0.addingTimeInterval(1)))
            // Inside the first number's cool-down: refused, so not counted.
            #expect(try await issue(1, at: 2) == .tooManySends(retryAfter: .seconds(28)))
            let tallies = try await store.conversionTallies(app: "demo", since: t0, minSends: 1)
            #expect(tallies == [ConversionTally(scope: .prefix("4477009"), sent: 2, verified: 0), ConversionTally(scope: .country("GB"), sent: 2, verified: 0)])
        }
    }
}
