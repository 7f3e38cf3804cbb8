/// `apps.ID.twilio_api:` — the account an app's Twilio SDK is given, so that it sends through
/// Switchboard's Twilio-compatible Messages API with only its base URL changed.
package struct TwilioAPISettings: Sendable, Equatable {
    /// `AC` and 32 hex digits, as Twilio's account SIDs: the SDKs check the form.
    package var accountSID: String
    /// The password of HTTP Basic, normally `${ENV}`. Never logged.
    package var authToken: String
    /// `allow_from:` — whether a request's `From` is the sender; otherwise the route's sender is.
    package var allowFrom: Bool

    package init(accountSID: String, authToken: String, allowFrom: Bool = false) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.allowFrom = allowFrom
    }

    /// Whether `text` has the form of an account SID.
    package static func isAccountSID(_ text: String) -> Bool {
        text.utf8.count == 34 && text.hasPrefix("AC") && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }
}
