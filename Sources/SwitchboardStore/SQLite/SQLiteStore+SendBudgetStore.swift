package import Foundation
package import SwitchboardCore

/// Send budgets in the SQLite file: one row per counter and window, so every daemon on the file
/// counts against the same budget.
extension SQLiteStore: SendBudgetStore {
    package func spendBudget(_ counters: [BudgetCounter], now: Date) async throws -> BudgetSpend {
        try await writer.inTransaction { connection in try Self.spendBudget(counters, now: now, on: connection) }
    }

    /// ``spendBudget(_:now:)`` inside the caller's transaction.
    static func spendBudget(_ counters: [BudgetCounter], now: Date, on connection: SQLiteDatabase) throws -> BudgetSpend {
        let now = now.microsecondsSince1970
        var counts: [BudgetLimiter.Count] = []
        for counter in counters {
            let start = Int(counter.rate.window.start(containing: now))
            // Earlier windows of the counter are of no further use.
            try connection.execute(
                "DELETE FROM send_budgets WHERE key = ?1 AND window_start_us < ?2", [.text(counter.key), .integer(start)]
            )
            let row = try connection.first(
                "SELECT sends, refused FROM send_budgets WHERE key = ?1 AND window_start_us = ?2", [.text(counter.key), .integer(start)]
            )
            counts.append(
                BudgetLimiter.Count(
                    sends: Int(try row?.integer("sends", table: "send_budgets") ?? 0),
                    refused: try (row?.integer("refused", table: "send_budgets") ?? 0) != 0
                )
            )
        }
        let spend = BudgetLimiter.decide(counters, counts: counts, nowMicroseconds: now)
        switch spend {
        case .spent:
            for counter in counters {
                try connection.execute(
                    """
                    INSERT INTO send_budgets (key, window_start_us, sends, refused) VALUES (?1, ?2, 1, 0)
                    ON CONFLICT (key, window_start_us) DO UPDATE SET sends = sends + 1
                    """,
                    [.text(counter.key), .integer(Int(counter.rate.window.start(containing: now)))]
                )
            }
        case .overBudget(let counter, _, _):
            try connection.execute(
                "UPDATE send_budgets SET refused = 1 WHERE key = ?1 AND window_start_us = ?2",
                [.text(counter.key), .integer(Int(counter.rate.window.start(containing: now)))]
            )
        }
        return spend
    }

    package func refundBudget(_ counters: [BudgetCounter], spentAt: Date) async throws {
        try await writer.inTransaction { connection in try Self.refundBudget(counters, spentAt: spentAt, on: connection) }
    }

    /// ``refundBudget(_:spentAt:)`` inside the caller's transaction.
    static func refundBudget(_ counters: [BudgetCounter], spentAt: Date, on connection: SQLiteDatabase) throws {
        let at = spentAt.microsecondsSince1970
        for counter in counters {
            try connection.execute(
                "UPDATE send_budgets SET sends = sends - 1 WHERE key = ?1 AND window_start_us = ?2 AND sends > 0",
                [.text(counter.key), .integer(Int(counter.rate.window.start(containing: at)))]
            )
        }
    }
}
