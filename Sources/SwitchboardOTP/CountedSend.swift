import Foundation
import SwitchboardCore

/// What a send counted in the store before its message went out: its send-limit counters and its
/// budget counters, all at one instant. A message that is not sent after all is uncounted.
struct CountedSend: Sendable {
    var limitKeys: [String]
    var budget: [BudgetCounter]
    var at: Date

    /// Takes the send back from every counter.
    func cancel(in store: any LoginStore) async throws {
        for key in limitKeys { try await store.cancelSend(key: key, at: at) }
        if !budget.isEmpty { try await store.refundBudget(budget, spentAt: at) }
    }
}
