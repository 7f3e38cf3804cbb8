import Foundation

/// The abuse counters of one OTP send that the store keeps in the same atomic step as its
/// challenge (``OTPStore/issueChallenge(_:sendLimits:abuse:now:)``): a send is then one commit,
/// not one per counter.
package struct SendAbuseCounters: Sendable, Hashable {
    /// The number to note under its prefix (`otp.velocity`); `nil` when the rule is off or the
    /// send goes to no number.
    package var prefix: PrefixNote?
    /// The budgets to spend from (`otp.budgets`), in ``SendBudgets/counters(app:country:)``'s order.
    package var budget: [BudgetCounter]
    /// The code's count under the conversion rule (`otp.conversion`), made only when the code is
    /// issued; `nil` when the rule is off, or when a slowed scope had it counted on its own before.
    package var conversion: ConversionSend?

    package init(prefix: PrefixNote? = nil, budget: [BudgetCounter] = [], conversion: ConversionSend? = nil) {
        self.prefix = prefix
        self.budget = budget
        self.conversion = conversion
    }

    /// No counter: a direct-channel code, or a store step that only issues.
    package static let none = SendAbuseCounters()
}

/// A number to note under its prefix, with the rule that may block the prefix.
package struct PrefixNote: Sendable, Hashable {
    package var app: String
    package var prefix: String
    package var number: String
    package var rule: PrefixVelocityRule

    package init(app: String, prefix: String, number: String, rule: PrefixVelocityRule) {
        self.app = app
        self.prefix = prefix
        self.number = number
        self.rule = rule
    }
}
