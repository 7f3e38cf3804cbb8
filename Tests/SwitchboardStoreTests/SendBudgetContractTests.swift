import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// Send budgets on every store: counted per fixed window, all counters or none, refused until the
/// window ends, the first refusal of a window told apart, a refund given back.
@Suite("Send budget store contract")
struct SendBudgetContractTests {
    /// On an hour boundary, so the windows' ends are whole figures.
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let country = BudgetCounter(key: "demo:country:NG:hour", scope: "NG", rate: BudgetRate(limit: 2, window: .hour))
    let total = BudgetCounter(key: "demo:total:day", scope: "total", rate: BudgetRate(limit: 3, window: .day))

    @Test(arguments: StoreKind.allCases)
    func aBudgetRefusesUntilItsWindowEnds(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            #expect(try await store.spendBudget([country], now: t0) == .spent)
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(60)) == .spent)
            let refused = try await store.spendBudget([country], now: t0.addingTimeInterval(600))
            #expect(refused == .overBudget(country, retryAfter: .seconds(3000), firstRefusal: true))
            let again = try await store.spendBudget([country], now: t0.addingTimeInterval(601))
            #expect(again == .overBudget(country, retryAfter: .seconds(2999), firstRefusal: false))
            // The next hour starts afresh.
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(3600)) == .spent)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSpentCounterCountsNoneOfTheOthers(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let other = BudgetCounter(key: "demo:country:GB:hour", scope: "GB", rate: BudgetRate(limit: 10, window: .hour))
            for second in 0..<3 { #expect(try await store.spendBudget([other, total], now: t0.addingTimeInterval(Double(second))) == .spent) }
            // The total is spent: NG is refused and its own count stays at zero.
            let refused = try await store.spendBudget([country, total], now: t0.addingTimeInterval(10))
            #expect(refused == .overBudget(total, retryAfter: .seconds(57_590), firstRefusal: true))
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(11)) == .spent)
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(12)) == .spent)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRefundGivesTheSendBack(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            #expect(try await store.spendBudget([country], now: t0) == .spent)
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(1)) == .spent)
            try await store.refundBudget([country], spentAt: t0.addingTimeInterval(1))
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(2)) == .spent)
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(3)) != .spent)
            // A refund for a window that has passed changes nothing now.
            try await store.refundBudget([country], spentAt: t0.addingTimeInterval(-10))
            #expect(try await store.spendBudget([country], now: t0.addingTimeInterval(4)) != .spent)
        }
    }
}
