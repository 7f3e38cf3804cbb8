package import SwitchboardCore

/// Hears what the OTP flow did, by app and destination country: where metrics are taken, so that
/// the flow itself stays free of them. Never told a number, a code or a user.
package protocol LoginObserver: Sendable {
    /// - Parameters:
    ///   - country: The destination's ISO code (`001` for non-geographic numbers), or
    ///     ``LoginEvent/unknownCountry`` when the flow has no number to tell it by.
    func loginEvent(_ event: LoginEvent, app: String, country: String)
    /// The scopes the conversion rule slows in `app` now, each time this daemon sees the set change.
    func conversionSlowdowns(_ slowed: [ConversionScope], app: String)

    /// A code check ended (the app's `otp.verified` / `otp.failed` webhook events).
    /// - Parameters:
    ///   - userID: The user whose code it was; `nil` for an identifier no user has (conceal mode).
    ///   - number: The number (E.164) the check is counted by, for masking; never the code.
    func codeChecked(_ result: OTPVerificationResult, app: String, userID: String?, number: String?)
}

extension LoginObserver {
    package func conversionSlowdowns(_ slowed: [ConversionScope], app: String) {}

    package func codeChecked(_ result: OTPVerificationResult, app: String, userID: String?, number: String?) {}
}

/// One step of the OTP flow worth counting.
package enum LoginEvent: Sendable, Hashable {
    /// A provider accepted an OTP message.
    case sent
    /// The send limits refused a send (`resend_after`, `max_sends_per_hour`).
    case sendRefused
    /// An abuse rule refused a send (number type, sender, link, custom number, budget, blocked prefix).
    case abuseRefused(AbuseRule)
    /// A code was checked.
    case verified(OTPVerificationResult)
    /// A wrong code locked the user out.
    case lockedOut

    /// The country of an event with no number to tell it by (an unknown user, the direct channel).
    package static let unknownCountry = "unknown"
}

/// How a code check ended.
package enum OTPVerificationResult: String, Sendable, Hashable {
    case approved
    case wrong
    case expired
    case locked
    /// No code was waiting (never sent, used, or removed).
    case noCode = "no_code"
}
