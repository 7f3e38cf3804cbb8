package import Foundation

/// `apps.ID.otp.velocity:` — the pumping signature: many distinct numbers under one number prefix
/// in a short time. More than `maxNumbers` numbers under one prefix of `prefixDigits` digits
/// within `window` blocks that prefix for `blockFor`.
package struct PrefixVelocityRule: Sendable, Hashable {
    /// Leading digits of the E.164 number, calling code included (`4477009` for `+447700900123`).
    package var prefixDigits: Int = 7
    package var maxNumbers: Int = 20
    package var window: Duration = .seconds(600)
    package var blockFor: Duration = .seconds(3600)

    package init() {}

    /// The prefix `number` counts under; always shorter than the number, so a prefix is never one number.
    package func prefix(of number: PhoneNumber) -> String {
        let digits = number.digits
        return String(digits.prefix(min(prefixDigits, digits.count - 1)))
    }

    /// Whether this many distinct numbers seen under one prefix within the window block it.
    package func blocks(distinctNumbers: Int) -> Bool {
        distinctNumbers > maxNumbers
    }
}

/// A prefix blocked in one app.
package struct BlockedPrefix: Sendable, Hashable {
    package var app: String
    package var prefix: String
    package var blockedAt: Date
    package var until: Date
    /// The distinct numbers seen under it within the window when it was blocked.
    package var numbers: Int

    package init(app: String, prefix: String, blockedAt: Date, until: Date, numbers: Int) {
        self.app = app
        self.prefix = prefix
        self.blockedAt = blockedAt
        self.until = until
        self.numbers = numbers
    }
}

/// What ``PrefixVelocityStore/notePrefixSend(app:prefix:number:now:rule:)`` found.
package enum PrefixCheck: Sendable, Hashable {
    case allowed
    /// Refused: the prefix is blocked until then. `newly` when this send's number blocked it.
    case blocked(until: Date, newly: Bool, numbers: Int)
}

/// Distinct numbers per prefix and the prefixes they blocked, shared by every daemon on the store.
package protocol PrefixVelocityStore: Sendable {
    /// In one atomic step: refused while the prefix is blocked in the app; otherwise notes that
    /// `number` was asked for at `now`, and blocks the prefix (refusing this send too) when the
    /// distinct numbers noted under it within the rule's window are more than it allows.
    func notePrefixSend(app: String, prefix: String, number: String, now: Date, rule: PrefixVelocityRule) async throws -> PrefixCheck
    /// The prefixes blocked at `now`, in every app, by app then prefix.
    func blockedPrefixes(now: Date) async throws -> [BlockedPrefix]
    /// Ends the blocks of `prefix` in every app and forgets the numbers noted under it, so that its
    /// count starts afresh. - Returns: The apps whose block was ended at `now`.
    func unblockPrefix(_ prefix: String, now: Date) async throws -> [String]
}
