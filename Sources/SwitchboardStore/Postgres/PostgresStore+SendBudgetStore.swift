package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// Send budgets in the shared database: every daemon counts against the same rows, each counter
/// under its own advisory lock, taken in sorted order so that no two sends wait on each other in a circle.
extension PostgresStore: SendBudgetStore {
    package func spendBudget(_ counters: [BudgetCounter], now: Date) async throws -> BudgetSpend {
        guard !counters.isEmpty else { return .spent }
        let now = now.microsecondsSince1970
        let keys = counters.map(\.key)
        let starts = counters.map { $0.rate.window.start(containing: now) }
        return try await transaction { connection in
            try await connection.lock(keys.sorted().map(AdvisoryLock.budget(key:)), logger: logger)
            let rows = try await connection.run(
                """
                WITH pruned AS (
                    DELETE FROM send_budgets b USING unnest(\(keys)::text[], \(starts)::bigint[]) AS c(key, start)
                    WHERE b.key = c.key AND b.window_start_us < c.start
                )
                SELECT b.key, b.sends, b.refused FROM send_budgets b
                JOIN unnest(\(keys)::text[], \(starts)::bigint[]) AS c(key, start) ON b.key = c.key AND b.window_start_us = c.start
                """,
                logger: logger
            )
            var found: [String: BudgetLimiter.Count] = [:]
            for row in rows {
                found[try row.text("key")] = BudgetLimiter.Count(sends: Int(try row.integer("sends")), refused: try row.boolean("refused"))
            }
            let counts = keys.map { found[$0] ?? BudgetLimiter.Count(sends: 0, refused: false) }
            let spend = BudgetLimiter.decide(counters, counts: counts, nowMicroseconds: now)
            switch spend {
            case .spent:
                try await connection.run(
                    """
                    INSERT INTO send_budgets (key, window_start_us, sends, refused)
                    SELECT key, start, 1, false FROM unnest(\(keys)::text[], \(starts)::bigint[]) AS c(key, start)
                    ON CONFLICT (key, window_start_us) DO UPDATE SET sends = send_budgets.sends + 1
                    """,
                    logger: logger
                )
            case .overBudget(let counter, _, _):
                let start = counter.rate.window.start(containing: now)
                try await connection.run(
                    "UPDATE send_budgets SET refused = true WHERE key = \(counter.key) AND window_start_us = \(start)", logger: logger
                )
            }
            return spend
        }
    }

    package func refundBudget(_ counters: [BudgetCounter], spentAt: Date) async throws {
        guard !counters.isEmpty else { return }
        let at = spentAt.microsecondsSince1970
        let keys = counters.map(\.key)
        let starts = counters.map { $0.rate.window.start(containing: at) }
        try await pool.run(
            """
            UPDATE send_budgets b SET sends = b.sends - 1
            FROM unnest(\(keys)::text[], \(starts)::bigint[]) AS c(key, start)
            WHERE b.key = c.key AND b.window_start_us = c.start AND b.sends > 0
            """,
            logger: logger
        )
    }
}
