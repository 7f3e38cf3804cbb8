/// `apps.ID.twilio_api:` — the account an app's Twilio SDK is given, so that it sends through
/// Switchboard's Twilio-compatible Messages API with only its base URL changed.
package struct TwilioAPISettings: Sendable, Equatable {
    /// `AC` and 32 hex digits, as Twilio's account SIDs: the SDKs check the form.
    package var accountSID: String
    /// The password of HTTP Basic, normally `${ENV}`. Never logged.
    package var authToken: String
    /// `allow_from:` — whether a request's `From` is the sender; otherwise the route's sender is.
    package var allowFrom: Bool
    /// `allow_private_callbacks:` — whether a `StatusCallback` may point at a loopback, private or
    /// link-local address (a receiver inside the daemon's network); refused otherwise, against SSRF.
    package var allowPrivateCallbacks: Bool

    package init(accountSID: String, authToken: String, allowFrom: Bool = false, allowPrivateCallbacks: Bool = false) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.allowFrom = allowFrom
        self.allowPrivateCallbacks = allowPrivateCallbacks
    }

    /// Whether `text` has the form of an account SID.
    package static func isAccountSID(_ text: String) -> Bool {
        text.utf8.count == 34 && text.hasPrefix("AC") && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }
}
