/// One message to send, as every caller (HTTP API, OTP flow, CLI) describes it.
package struct SendRequest: Sendable {
    /// The destination as given: E.164 or a usual international spelling.
    package var to: String
    /// The app id from `config.yaml`.
    package var app: String
    package var kind: MessageKind
    package var content: MessageContent
    /// Replaces the route's sender, after the same checks.
    package var sender: SenderID?
    /// The login flow's OTP: a verify provider on the route may send its own code instead of this
    /// one, and the flow asks it to check the code. No other message may go to a verify provider.
    package var allowsOwnedCode: Bool

    package init(to: String, app: String, kind: MessageKind, content: MessageContent, sender: SenderID? = nil, allowsOwnedCode: Bool = false) {
        self.to = to
        self.app = app
        self.kind = kind
        self.content = content
        self.sender = sender
        self.allowsOwnedCode = allowsOwnedCode
    }
}

/// What the message says: given text, or a template filled in by the gateway.
package enum MessageContent: Sendable {
    /// Text sent as it is.
    case text(String)
    /// The route's template, or else the app's message, filled with these values.
    /// `template` replaces both (a per-request custom message).
    case template(otp: String?, minutes: Int?, template: MessageTemplate? = nil)
}
