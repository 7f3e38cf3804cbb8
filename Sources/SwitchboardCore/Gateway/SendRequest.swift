/// One message to send, as every caller (HTTP API, OTP flow, CLI) describes it.
package struct SendRequest: Sendable {
    /// The destination as given: E.164 or a usual international spelling.
    package let to: String
    /// The destination already read, when the caller read it to check or count it (the login flow
    /// does): the gateway then does not read it again.
    package let number: PhoneNumber?
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
        self.init(to: to, number: nil, app: app, kind: kind, content: content, sender: sender, allowsOwnedCode: allowsOwnedCode)
    }

    /// A request to a number the caller has read already.
    package init(
        to number: PhoneNumber, app: String, kind: MessageKind, content: MessageContent, sender: SenderID? = nil, allowsOwnedCode: Bool = false
    ) {
        self.init(to: number.e164, number: number, app: app, kind: kind, content: content, sender: sender, allowsOwnedCode: allowsOwnedCode)
    }

    private init(
        to: String, number: PhoneNumber?, app: String, kind: MessageKind, content: MessageContent, sender: SenderID?, allowsOwnedCode: Bool
    ) {
        self.to = to
        self.number = number
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
