package import Foundation

/// The one live code of a user in an app. Only a keyed hash of the code is kept.
package struct OTPChallenge: Sendable, Hashable, Codable {
    package var id: String
    package var app: String
    package var userID: String
    /// HMAC-SHA256 of the code under the server's secret, bound to the challenge id.
    package var codeHash: [UInt8]
    /// Set when the send asked for `generate_request_id`; authenticate must then present it.
    package var requestID: String?
    /// Where the code went (E.164), or `nil` for the `direct` channel.
    package var sentTo: String?
    /// The `approval_data` object of the send, JSON text, which goes into the id_token.
    package var approvalDataJSON: String?
    package var createdAt: Date
    package var expiresAt: Date
    /// The verify provider that sent its own code in place of ours and checks it; `nil` when the
    /// code is ours (its hash is `codeHash`).
    package var owner: String?

    package init(
        id: String, app: String, userID: String, codeHash: [UInt8], requestID: String? = nil, sentTo: String? = nil,
        approvalDataJSON: String? = nil, createdAt: Date, expiresAt: Date, owner: String? = nil
    ) {
        self.owner = owner
        self.id = id
        self.app = app
        self.userID = userID
        self.codeHash = codeHash
        self.requestID = requestID
        self.sentTo = sentTo
        self.approvalDataJSON = approvalDataJSON
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What one authenticate attempt did, decided atomically by the store.
package enum OTPAttemptOutcome: Sendable, Hashable {
    /// The code matched; the challenge is used up and the failure count reset.
    case accepted(OTPChallenge)
    /// The code did not match. `lockedUntil` is set when this failure reached the limit: the code
    /// is then gone and the identifier locked.
    case rejected(failures: Int, lockedUntil: Date?)
    /// The code had expired; it is gone.
    case expired
    /// There is no live code.
    case noChallenge
    /// Locked by earlier failures; nothing was checked.
    case locked(until: Date)
}

/// Mosaic's lockout policy: `maxFailures` wrong codes lock for `lockout`, then counting starts afresh.
package struct LockoutPolicy: Sendable, Hashable {
    package var maxFailures: Int
    package var lockout: Duration

    package init(maxFailures: Int, lockout: Duration) {
        self.maxFailures = maxFailures
        self.lockout = lockout
    }
}

/// The abuse limits on sending codes to one number.
package struct SendLimits: Sendable, Hashable {
    package var resendAfter: Duration
    package var maxPerHour: Int

    package init(resendAfter: Duration, maxPerHour: Int) {
        self.resendAfter = resendAfter
        self.maxPerHour = maxPerHour
    }
}

/// Whether a send may go ahead.
/// A number's send counter and the limits it is held to.
package struct SendLimitKey: Sendable, Hashable {
    package var key: String
    package var limits: SendLimits

    package init(key: String, limits: SendLimits) {
        self.key = key
        self.limits = limits
    }
}

/// What ``OTPStore/issueChallenge(_:sendLimits:abuse:now:)`` did, its refusals in the order the
/// store checks them.
package enum ChallengeIssue: Sendable, Hashable {
    /// Stored. `reservedAt` is the counted send (its send limits and budgets), to cancel if the
    /// message is not sent after all.
    case issued(reservedAt: Date?)
    /// Nothing stored or spent: the number's prefix is blocked (as ``PrefixCheck/blocked(until:newly:numbers:)``;
    /// the number was noted when `newly`).
    case prefixBlocked(until: Date, newly: Bool, numbers: Int)
    /// Nothing stored or spent: a budget is spent (as ``BudgetSpend/overBudget(_:retryAfter:firstRefusal:)``).
    case overBudget(BudgetCounter, retryAfter: Duration, firstRefusal: Bool)
    /// Nothing stored: the user is locked until then.
    case locked(until: Date)
    /// Nothing stored: the number's send limits say to wait this long.
    case tooManySends(retryAfter: Duration)
}

package enum SendReservation: Sendable, Hashable {
    /// Counted; cancel it if the message is not sent after all.
    case reserved(at: Date)
    /// Too soon or too many; try again after this long.
    case retryAfter(Duration)
}
