package import Foundation

/// `apps.ID.otp.conversion:` — the share of sent codes that are verified, per destination country
/// and per number prefix. Pumped numbers never verify: when at least `minSends` codes went to a
/// scope within `window` and fewer than `minVerifiedShare` of them were verified, sends to that
/// scope are slowed to `slowTo` per minute until the share recovers, the volume falls under the
/// floor, or an operator clears it.
package struct ConversionRule: Sendable, Hashable {
    package var window: Duration = .seconds(3600)
    /// The floor: a scope with fewer sends in the window is never judged.
    package var minSends: Int = 50
    package var minVerifiedShare: Double = 0.2
    /// Sends per minute a slowed scope is held to, shared by every daemon on the store.
    package var slowTo: Int = 5
    /// Leading digits of the prefix scope, calling code included; `nil` judges countries only.
    package var prefixDigits: Int? = 7

    /// Counts are kept per minute: the slowed rate is counted in the same rows.
    package static let bucketMicroseconds: Int64 = 60_000_000

    package init() {}

    /// The scopes a send to `number` counts under: its country, then its prefix.
    package func scopes(of number: PhoneNumber) -> [ConversionScope] {
        var scopes = [ConversionScope.country(number.region)]
        if let prefixDigits {
            let digits = number.digits
            scopes.append(.prefix(String(digits.prefix(min(prefixDigits, digits.count - 1)))))
        }
        return scopes
    }

    /// Whether a scope with these counts over the window is slowed.
    package func isSlowed(_ tally: ConversionTally) -> Bool {
        guard tally.sent >= minSends else { return false }
        return tally.verifiedShare < minVerifiedShare
    }

    /// The start of the first bucket the window at `now` sums: the one holding `now - window`.
    package func windowStart(now: Date) -> Date {
        let seconds = now.timeIntervalSince1970 - window.timeInterval
        return Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
    }

    /// The start of the minute bucket that holds `instant` (microseconds since 1970).
    package static func bucketStart(containing instant: Int64) -> Int64 {
        let length = bucketMicroseconds
        return instant >= 0 ? instant / length * length : ((instant + 1) / length - 1) * length
    }

    /// How long a slowed scope's refused send waits: until the current bucket ends.
    package static func retryAfter(now: Date) -> Duration {
        let seconds = now.timeIntervalSince1970
        return .milliseconds(Int64((((seconds / 60).rounded(.down) + 1) * 60 - seconds) * 1000))
    }
}

/// What a conversion count is kept under: a country or a number prefix.
package enum ConversionScope: Sendable, Hashable, CustomStringConvertible {
    /// An ISO code (`001` for non-geographic numbers).
    case country(String)
    /// Leading digits of the E.164 number, without the `+`.
    case prefix(String)

    /// As stored and shown: `GB`, or `+4477009` for a prefix.
    package var key: String {
        switch self {
        case .country(let code): code
        case .prefix(let digits): "+" + digits
        }
    }

    package var description: String { key }

    /// The scope a stored key names.
    package init(key: String) {
        self = key.hasPrefix("+") ? .prefix(String(key.dropFirst())) : .country(key)
    }

    /// `country` or `prefix`: the metric's and the admin API's label.
    package var kind: String {
        switch self {
        case .country: "country"
        case .prefix: "prefix"
        }
    }
}

/// Codes sent and verified under one scope over a window.
package struct ConversionTally: Sendable, Hashable {
    package var scope: ConversionScope
    package var sent: Int
    package var verified: Int

    package init(scope: ConversionScope, sent: Int, verified: Int) {
        self.scope = scope
        self.sent = sent
        self.verified = verified
    }

    /// Verified over sent; a verification of a code sent before the window can make it pass one,
    /// so it is capped.
    package var verifiedShare: Double {
        sent == 0 ? 1 : min(1, Double(verified) / Double(sent))
    }
}

/// What ``ConversionStore/countConversionSend(app:scopes:at:limits:)`` did.
package enum ConversionSendCount: Sendable, Hashable {
    case counted
    /// Nothing counted: `scope` has had its slowed rate of sends this minute.
    case slowed(ConversionScope)
}

/// A code counted under the conversion rule: its app, its scopes, and the time whose bucket holds it.
package struct ConversionSend: Sendable, Hashable {
    package var app: String
    package var scopes: [ConversionScope]
    package var at: Date

    package init(app: String, scopes: [ConversionScope], at: Date) {
        self.app = app
        self.scopes = scopes
        self.at = at
    }
}

/// Sends and verifications per scope in minute buckets, shared by every daemon on the store.
package protocol ConversionStore: Sendable {
    /// Counts one code sent at `at` under every scope, in the bucket holding `at`, in one atomic
    /// step: when a scope in `limits` already holds that many sends in the bucket, counts none and
    /// answers the first such scope.
    func countConversionSend(app: String, scopes: [ConversionScope], at: Date, limits: [ConversionScope: Int]) async throws -> ConversionSendCount
    /// Takes back a send counted at `at` whose code was not sent after all.
    func uncountConversionSend(app: String, scopes: [ConversionScope], at: Date) async throws
    /// Counts the verification of a code sent at `sentAt`, in the bucket of its send.
    func countConversionVerified(app: String, scopes: [ConversionScope], sentAt: Date) async throws
    /// Sums per scope of the app's buckets that start at or after `since`, only for
    /// scopes with at least `minSends` sends, by scope key.
    func conversionTallies(app: String, since: Date, minSends: Int) async throws -> [ConversionTally]
    /// Forgets every count under `scope`, in every app, so that it is judged afresh.
    func forgetConversion(_ scope: ConversionScope) async throws
}
