/// `apps.ID:` — one app that sends messages and logs people in.
package struct AppSettings: Sendable {
    /// The id used in API calls and route conditions.
    package var id: String
    /// The display name that fills `{app}`.
    package var name: String
    /// The OTP message; it contains `{otp}`.
    package var message: MessageTemplate
    package var otp: OTPPolicy
    /// Lines added to OTP messages so phones can fill the code in by themselves.
    package var extras: OTPExtras
    package var countries: CountryPolicy
}

/// How an app's one-time passcodes behave.
package struct OTPPolicy: Sendable, Equatable {
    /// Digits in a code, 4 to 10.
    package var codeLength: Int = 6
    /// How long a code stays valid.
    package var expiresIn: Duration = .seconds(300)
    /// Wrong codes allowed before the identifier is locked, 1 to 20.
    package var maxFailures: Int = 3
    /// How long a lock lasts.
    package var lockout: Duration = .seconds(900)
    /// The least time between two codes sent to one number.
    package var resendAfter: Duration = .seconds(30)
    /// The most codes sent to one number in an hour.
    package var maxSendsPerHour: Int = 10

    package init() {}

    /// Validity in whole minutes, rounded up: what `{minutes}` says.
    package var expiresInMinutes: Int {
        Int((expiresIn.wholeSeconds + 59) / 60)
    }
}

/// Which destination countries an app may send to.
package struct CountryPolicy: Sendable, Equatable {
    /// When set, only these countries.
    package var allow: Set<String>?
    /// Never these countries.
    package var deny: Set<String> = []

    package init(allow: Set<String>? = nil, deny: Set<String> = []) {
        self.allow = allow
        self.deny = deny
    }

    package func permits(_ country: String) -> Bool {
        !deny.contains(country) && (allow?.contains(country) ?? true)
    }
}
