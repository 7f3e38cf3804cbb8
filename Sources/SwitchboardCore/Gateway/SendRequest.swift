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

    package init(to: String, app: String, kind: MessageKind, content: MessageContent, sender: SenderID? = nil) {
        self.to = to
        self.app = app
        self.kind = kind
        self.content = content
        self.sender = sender
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
