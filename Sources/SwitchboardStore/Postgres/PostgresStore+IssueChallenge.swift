package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// An OTP send's whole store step as one statement: `switchboard_issue_challenge` (PostgreSQL
/// migration 9) takes the advisory locks, checks the prefix, the budgets, the user's lock and the
/// send limits in that order, and writes what they decided; the same statement counts an issued
/// code under the conversion rule. One round trip and one commit, with the locks held only while
/// the database runs it.
extension PostgresStore {
    package func issueChallenge(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters, now: Date) async throws -> ChallengeIssue {
        let now = now.roundedToMicroseconds
        let nowMicros = now.microsecondsSince1970
        let note = abuse.prefix
        let budget = abuse.budget
        let conversion = abuse.conversion
        let conversionBucket = conversion.map { ConversionRule.bucketStart(containing: $0.at.microsecondsSince1970) } ?? 0
        let rows = try await client.run(
            """
            WITH issued AS MATERIALIZED (SELECT outcome, at_us, amount, newly FROM switchboard_issue_challenge(
                \(challenge.app), \(challenge.userID), \(challenge.id), \(Data(challenge.codeHash)), \(challenge.requestID)::text,
                \(challenge.sentTo)::text, \(challenge.approvalDataJSON)::text, \(challenge.createdAt.microsecondsSince1970),
                \(challenge.expiresAt.microsecondsSince1970), \(challenge.owner)::text,
                \(nowMicros), \(Self.issueLocks(challenge, sendLimits: sendLimits, abuse: abuse))::text[],
                \(sendLimits.map(\.key))::text[], \(sendLimits.map { $0.limits.resendAfter.wholeMicroseconds })::bigint[],
                \(sendLimits.map { Int64($0.limits.maxPerHour) })::bigint[],
                \(note?.app)::text, \(note?.prefix)::text, \(note?.number)::text, \(note.map { Int64($0.rule.maxNumbers) })::bigint,
                \(note?.rule.window.wholeMicroseconds)::bigint, \(note?.rule.blockFor.wholeMicroseconds)::bigint,
                \(budget.map(\.key))::text[], \(budget.map { $0.rate.window.start(containing: nowMicros) })::bigint[],
                \(budget.map { Int64($0.rate.limit) })::bigint[],
                \(budget.map { $0.rate.window.start(containing: nowMicros) + $0.rate.window.microseconds })::bigint[]
            )),
            counted AS (
                INSERT INTO conversion_buckets (app, bucket_start_us, scope, shard, sent, verified)
                SELECT \(conversion?.app ?? "")::text, \(conversionBucket)::bigint, scope, \(unescaped: Self.conversionShard), 1, 0
                FROM unnest(\(conversion?.scopes.map(\.key).sorted() ?? [])::text[]) AS s(scope)
                WHERE EXISTS (SELECT 1 FROM issued WHERE outcome = 'issued')
                ORDER BY scope COLLATE "C"
                ON CONFLICT (app, bucket_start_us, scope, shard) DO UPDATE SET sent = conversion_buckets.sent + 1
            )
            SELECT outcome, at_us, amount, newly FROM issued
            """,
            logger: logger
        )
        guard let row = rows.first else {
            throw PostgresStoreError.invalidColumn(table: "switchboard_issue_challenge", column: "outcome", value: "no row")
        }
        let (outcome, at, amount, newly) = (try row.text("outcome"), try row.integer("at_us"), try row.integer("amount"), try row.boolean("newly"))
        switch outcome {
        case "issued":
            return .issued(reservedAt: sendLimits.isEmpty && budget.isEmpty ? nil : now)
        case "prefix_blocked":
            return .prefixBlocked(until: Date(microsecondsSince1970: at), newly: newly, numbers: Int(amount))
        case "over_budget" where budget.indices.contains(Int(amount)):
            return .overBudget(budget[Int(amount)], retryAfter: .microseconds(at - nowMicros), firstRefusal: newly)
        case "locked":
            return .locked(until: Date(microsecondsSince1970: at))
        case "too_many_sends":
            // As SendLimiter: the wait rounded up to the millisecond.
            return .tooManySends(retryAfter: .milliseconds((at + 999) / 1000))
        default:
            throw PostgresStoreError.invalidColumn(table: "switchboard_issue_challenge", column: "outcome", value: "\(outcome) \(amount)")
        }
    }

    /// The prefix's lock, then the budgets' and the send counters' in sorted order, with the
    /// user's between: every step that takes more than one takes them in this one order (an
    /// attempt takes only the user's), so no two transactions wait for each other in a circle.
    static func issueLocks(_ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters) -> [String] {
        let prefix = abuse.prefix.map { [AdvisoryLock.prefix(app: $0.app, prefix: $0.prefix)] } ?? []
        let budgets = abuse.budget.map(\.key).sorted().map(AdvisoryLock.budget(key:))
        let user = AdvisoryLock.otp(app: challenge.app, userID: challenge.userID)
        let sends = sendLimits.map(\.key).sorted().map(AdvisoryLock.sends(key:))
        return prefix + budgets + [user] + sends
    }
}
