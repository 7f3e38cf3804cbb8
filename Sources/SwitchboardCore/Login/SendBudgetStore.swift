package import Foundation

/// Send budgets counted per fixed window, shared by every daemon that shares the store.
package protocol SendBudgetStore: Sendable {
    /// Counts one send against every counter, atomically: when any is spent (its count in the
    /// window holding `now` has reached its limit), counts none and answers the first such one.
    func spendBudget(_ counters: [BudgetCounter], now: Date) async throws -> BudgetSpend
    /// Takes back a send counted at `spentAt` whose message was not sent after all.
    func refundBudget(_ counters: [BudgetCounter], spentAt: Date) async throws
}
