package import Foundation

/// The rows the abuse rules keep in the store, each of which ages out once no rule reads it.
package enum AbuseCounterKind: String, Sendable, Hashable, CaseIterable {
    /// Numbers noted under a prefix (`otp.velocity`): of no use once seen before the longest window.
    case prefixNumbers = "prefix_numbers"
    /// Blocks of prefixes: of no use once ended.
    case blockedPrefixes = "blocked_prefixes"
    /// Budget counters: of no use once their window has ended.
    case sendBudgets = "send_budgets"
    /// Conversion buckets (`otp.conversion`): of no use once before the longest window.
    case conversionBuckets = "conversion_buckets"

    /// The instant before which rows of this kind are read by no rule of `apps` at `now`: a
    /// prefix number seen, a block ending, a budget window or a conversion bucket starting before it.
    package func cutoff(now: Date, apps: [AppSettings]) -> Date {
        switch self {
        case .prefixNumbers:
            let longest = apps.compactMap { $0.otp.velocity?.window }.max() ?? .zero
            return now.addingTimeInterval(-longest.timeInterval)
        case .blockedPrefixes:
            return now
        case .sendBudgets:
            // Every budget window (an hour or a day) that started a day ago has ended.
            return now.addingTimeInterval(-Double(BudgetWindow.day.microseconds) / 1_000_000)
        case .conversionBuckets:
            return apps.compactMap { $0.otp.conversion?.windowStart(now: now) }.min() ?? now
        }
    }
}

/// Deletes the abuse rules' rows that no rule reads any more, a bounded batch at a time.
package protocol AbuseCounterRetention: Sendable {
    /// Deletes at most `limit` rows of `kind` from before `cutoff` (see ``AbuseCounterKind/cutoff(now:apps:)``).
    /// - Returns: How many were deleted; fewer than `limit` when no more are due.
    func purgeAbuseCounters(_ kind: AbuseCounterKind, before cutoff: Date, limit: Int) async throws -> Int
}
