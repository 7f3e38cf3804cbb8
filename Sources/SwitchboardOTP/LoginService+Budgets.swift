import Foundation
import Logging
import SwitchboardCore

extension LoginService {
    /// Spends one send from the app's budgets for the destination's country (and its total).
    /// - Throws: ``LoginError/overBudget(retryAfterSeconds:scope:)`` when one is spent (see ``overBudget(_:wait:firstRefusal:app:country:logger:)``).
    func spendBudget(_ counters: [BudgetCounter], at: Date, app: String, country: String, logger: Logger) async throws {
        guard !counters.isEmpty else { return }
        guard case .overBudget(let counter, let wait, let firstRefusal) = try await store.spendBudget(counters, now: at) else { return }
        throw overBudget(counter, wait: wait, firstRefusal: firstRefusal, app: app, country: country, logger: logger)
    }

    /// The refusal of a send whose budget is spent, counted; the first refusal of a budget in its
    /// window is logged, the rest only counted.
    func overBudget(_ counter: BudgetCounter, wait: Duration, firstRefusal: Bool, app: String, country: String, logger: Logger) -> LoginError {
        let seconds = Int(wait.retryAfterSeconds)
        observer?.loginEvent(.abuseRefused(.budget), app: app, country: country)
        if firstRefusal {
            logger.warning(
                "OTP send budget spent; sends it covers are refused until its window ends",
                metadata: [
                    "sb.app": "\(app)", "sb.budget.scope": "\(counter.scope)", "sb.budget.rate": "\(counter.rate)",
                    "sb.retry_after": "\(seconds)",
                ]
            )
        }
        return LoginError.overBudget(retryAfterSeconds: seconds, scope: counter.scope)
    }

    /// Gives back budget spent for a send that was then refused (locked, too many sends).
    func refundBudget(_ counters: [BudgetCounter], at: Date, app: String, logger: Logger) async {
        guard !counters.isEmpty else { return }
        do {
            try await store.refundBudget(counters, spentAt: at)
        } catch {
            logger.error("could not give back the budget of a refused OTP send", metadata: ["sb.app": "\(app)", "sb.error": "\(logDescription(of: error))"])
        }
    }
}
