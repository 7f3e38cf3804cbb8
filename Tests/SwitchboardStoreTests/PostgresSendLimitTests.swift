import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Sends per hour hold exactly when several daemons (a store each) count sends to one number at once:
/// the number's advisory lock makes each read-decide-write wait for the others' commits.
@Suite("PostgreSQL send limits across daemons", .timeLimit(.minutes(3)))
struct PostgresSendLimitTests {
    static let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000.25)
    /// No cool-down, so only the hourly limit refuses.
    static let limits = SendLimitKey(key: "demo:+447700900123", limits: SendLimits(resendAfter: .zero, maxPerHour: 5))

    @Test func thirtyConcurrentIssuesOverThreeStoresIssueExactlyTheHourlyLimit() async throws {
        let outcomes = try await Self.concurrently(30) { store, index in
            let challenge = OTPChallenge(
                id: "c\(index)", app: "demo", userID: "u\(index)", codeHash: Array("hash-\(index)".utf8), requestID: nil,
                sentTo: "+447700900123", approvalDataJSON: nil, createdAt: Self.t0, expiresAt: Self.t0.addingTimeInterval(300)
            )
            return try await store.issueChallenge(challenge, sendLimit: Self.limits, now: Self.t0) == .issued(reservedAt: Self.t0.roundedForTest)
        }
        #expect(outcomes.count { $0 } == 5)
        #expect(outcomes.count { !$0 } == 25)
    }

    @Test func thirtyConcurrentReservationsOverThreeStoresReserveExactlyTheHourlyLimit() async throws {
        let outcomes = try await Self.concurrently(30) { store, _ in
            try await store.reserveSend(key: Self.limits.key, now: Self.t0, limits: Self.limits.limits) == .reserved(at: Self.t0.roundedForTest)
        }
        #expect(outcomes.count { $0 } == 5)
        #expect(outcomes.count { !$0 } == 25)
    }

    /// A country's budget holds across daemons: thirty sends at once over three stores, to a budget
    /// of seven an hour beside a total of twenty a day, spend exactly seven.
    @Test func thirtyConcurrentSpendsOverThreeStoresSpendExactlyTheBudget() async throws {
        let counters = [
            BudgetCounter(key: "demo:country:NG:hour", scope: "NG", rate: BudgetRate(limit: 7, window: .hour)),
            BudgetCounter(key: "demo:total:day", scope: "total", rate: BudgetRate(limit: 20, window: .day)),
        ]
        let outcomes = try await Self.concurrently(30) { store, _ in
            try await store.spendBudget(counters, now: Self.t0) == .spent
        }
        #expect(outcomes.count { $0 } == 7)
        #expect(outcomes.count { !$0 } == 23)
    }

    /// The same budget spent by whole OTP issues, each with its prefix note, send limit and
    /// challenge in one transaction: thirty at once over three stores issue exactly seven.
    @Test func thirtyConcurrentIssuesOverThreeStoresSpendExactlyTheBudget() async throws {
        let budget = BudgetCounter(key: "demo:country:NG:hour", scope: "NG", rate: BudgetRate(limit: 7, window: .hour))
        let outcomes = try await Self.concurrently(30) { store, index in
            let issued = try await store.issueChallenge(
                Self.challenge(index), sendLimits: [Self.limits(index)], abuse: SendAbuseCounters(budget: [budget]), now: Self.t0
            )
            return issued == .issued(reservedAt: Self.t0.roundedForTest)
        }
        #expect(outcomes.count { $0 } == 7)
        #expect(outcomes.count { !$0 } == 23)
    }

    /// Prefix velocity holds across daemons inside the issue: thirty numbers under one prefix at
    /// once, over three stores, with five allowed: five issued, and exactly one send blocks it.
    @Test func thirtyConcurrentIssuesOverThreeStoresBlockThePrefixOnce() async throws {
        let rule = {
            var rule = PrefixVelocityRule()
            rule.maxNumbers = 5
            return rule
        }()
        let outcomes = try await Self.concurrently(30) { store, index in
            let note = PrefixNote(app: "demo", prefix: "234803", number: Self.number(index), rule: rule)
            let issued = try await store.issueChallenge(
                Self.challenge(index), sendLimits: [Self.limits(index)], abuse: SendAbuseCounters(prefix: note), now: Self.t0
            )
            switch issued {
            case .issued: return "issued"
            case .prefixBlocked(_, let newly, _): return newly ? "blocked it" : "blocked"
            default: return "\(issued)"
            }
        }
        #expect(outcomes.count { $0 == "issued" } == 5)
        #expect(outcomes.count { $0 == "blocked it" } == 1)
        #expect(outcomes.count { $0 == "blocked" } == 24)
    }

    static func number(_ index: Int) -> String { "+2348030000\(String(format: "%03d", index))" }

    static func challenge(_ index: Int) -> OTPChallenge {
        OTPChallenge(
            id: "c\(index)", app: "demo", userID: "u\(index)", codeHash: Array("hash-\(index)".utf8), sentTo: number(index), createdAt: t0,
            expiresAt: t0.addingTimeInterval(300)
        )
    }

    static func limits(_ index: Int) -> SendLimitKey {
        SendLimitKey(key: "demo:\(number(index))", limits: SendLimits(resendAfter: .seconds(30), maxPerHour: 5))
    }

    /// Runs `step` `count` times at once, spread round-robin over three stores on one new database.
    private static func concurrently<T: Sendable>(
        _ count: Int, _ step: @escaping @Sendable (PostgresStore, Int) async throws -> T
    ) async throws -> [T] {
        try await TestPostgres.withDatabase { settings in
            try await TestPostgres.withStores(3, on: settings) { stores in
                try await stores[0].migrate()
                return try await withThrowingTaskGroup(of: T.self) { group in
                    for index in 0..<count { group.addTask { try await step(stores[index % stores.count], index) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
    }
}
