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
        var bindings = PostgresBindings(capacity: 28)
        bindings.append(challenge.app)
        bindings.append(challenge.userID)
        bindings.append(challenge.id)
        try bindings.append(Data(challenge.codeHash))
        bindings.append(challenge.requestID)
        bindings.append(challenge.sentTo)
        bindings.append(challenge.approvalDataJSON)
        bindings.append(challenge.createdAt.microsecondsSince1970)
        bindings.append(challenge.expiresAt.microsecondsSince1970)
        bindings.append(challenge.owner)
        bindings.append(nowMicros)
        bindings.append(Self.issueLocks(challenge, sendLimits: sendLimits, abuse: abuse))
        bindings.append(sendLimits.map(\.key))
        bindings.append(sendLimits.map { $0.limits.resendAfter.wholeMicroseconds })
        bindings.append(sendLimits.map { Int64($0.limits.maxPerHour) })
        bindings.append(note?.app)
        bindings.append(note?.prefix)
        bindings.append(note?.number)
        bindings.append(note.map { Int64($0.rule.maxNumbers) })
        bindings.append(note?.rule.window.wholeMicroseconds)
        bindings.append(note?.rule.blockFor.wholeMicroseconds)
        bindings.append(budget.map(\.key))
        bindings.append(budget.map { $0.rate.window.start(containing: nowMicros) })
        bindings.append(budget.map { Int64($0.rate.limit) })
        bindings.append(budget.map { $0.rate.window.start(containing: nowMicros) + $0.rate.window.microseconds })
        bindings.append(conversion?.app ?? "")
        bindings.append(conversionBucket)
        bindings.append(conversion?.scopes.map(\.key).sorted() ?? [])
        let rows = try await pool.run(IssueStatement(bindings: bindings), logger: logger)
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

/// `switchboard_issue_challenge`, and the conversion count of the code it issued.
private struct IssueStatement: PreparedStatement {
    static let name = "switchboard_issue"
    static let sql = """
        WITH issued AS MATERIALIZED (SELECT outcome, at_us, amount, newly FROM switchboard_issue_challenge(
            $1::text, $2::text, $3::text, $4::bytea, $5::text, $6::text, $7::text, $8::bigint, $9::bigint, $10::text,
            $11::bigint, $12::text[], $13::text[], $14::bigint[], $15::bigint[],
            $16::text, $17::text, $18::text, $19::bigint, $20::bigint, $21::bigint,
            $22::text[], $23::bigint[], $24::bigint[], $25::bigint[]
        )),
        \(PostgresStore.conversionCount(adding: .sent, after: "issued", answered: "issued", first: 26))
        SELECT outcome, at_us, amount, newly FROM issued
        """

    let bindings: PostgresBindings
}
