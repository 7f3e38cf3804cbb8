/// A value a message template can name between braces, such as `{otp}`.
package enum TemplatePlaceholder: String, CaseIterable, Sendable, Hashable {
    /// The app's display name.
    case app
    /// The one-time passcode.
    case otp
    /// How long the code stays valid, in whole minutes.
    case minutes

    /// The placeholder as written in a template: `{otp}`.
    package var token: String { "{\(rawValue)}" }
}
