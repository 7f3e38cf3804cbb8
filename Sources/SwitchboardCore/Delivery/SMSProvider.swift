package import Logging

/// Something that can take an SMS off our hands: the built-in inbox, a REST API, a SOAP service.
///
/// A provider never throws: it answers with the class of the outcome, because the class, not the
/// error, decides whether the next provider in the chain is tried.
package protocol SMSProvider: Sendable {
    /// The instance name from `config.yaml`.
    var name: String { get }

    /// Hands one message to the provider.
    /// - Parameters:
    ///   - message: What to send.
    ///   - deadline: The attempt must be over by then.
    ///   - logger: The caller's logger, carrying its request id.
    func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse

    /// Whether ``send(_:deadline:logger:)`` always returns by its deadline on the real clock, and at
    /// once when its task is cancelled, whatever the far end does. The dispatcher then trusts it to
    /// end its own attempt instead of racing it against a cut-off of its own.
    var answersByDeadline: Bool { get }

    /// Whether an attempt cut off at its deadline says anything of the provider's health, for its
    /// circuit breaker: not for the built-in provider, whose time is this daemon's own database's,
    /// which the store watches.
    var judgedByTimeouts: Bool { get }
}

extension SMSProvider {
    package var answersByDeadline: Bool { false }
    package var judgedByTimeouts: Bool { true }
}

/// A rendered message on its way to a provider.
package struct OutboundMessage: Sendable, Hashable {
    /// The gateway's id for the message.
    package var id: String
    package var to: PhoneNumber
    package var sender: SenderID?
    package var text: String
    package var encoding: SMSEncoding
    package var segments: Int
    /// Set for an OTP of the login flow, the only message a verify provider may send in its own
    /// words with its own code (the flow then asks it to check the code).
    package var ownedCode: OwnedCodeRequest?

    package init(
        id: String, to: PhoneNumber, sender: SenderID?, text: String, encoding: SMSEncoding, segments: Int, ownedCode: OwnedCodeRequest? = nil
    ) {
        self.id = id
        self.to = to
        self.sender = sender
        self.text = text
        self.encoding = encoding
        self.segments = segments
        self.ownedCode = ownedCode
    }
}

/// What a verify provider needs to send its own code in place of ours.
package struct OwnedCodeRequest: Sendable, Hashable {
    /// The app's name (`{message.app}`).
    package var app: String
    /// The message with `{otp}` and `{app}` left in for the service to fill (`{message.template}`);
    /// `nil` when the message lacks either.
    package var template: String?

    package init(app: String, template: String?) {
        self.app = app
        self.template = template
    }
}

/// What a provider said about one message.
package struct ProviderResponse: Sendable, Hashable {
    package var outcome: AttemptOutcome
    /// The provider's id for the message, when it gave one.
    package var providerMessageID: String?
    /// The provider's own error or status code.
    package var code: String?
    /// The provider's explanation, or ours for transport failures.
    package var message: String?
    /// How long the provider asked not to be sent to (`Retry-After` on a 429 or 503); the
    /// dispatcher skips it until then.
    package var retryAfter: Duration?
    /// Whether the answer says anything of the provider's health, for its circuit breaker: not
    /// when what failed was this daemon's own database (the built-in provider's inbox), which the
    /// store watches and which would otherwise keep the provider skipped after it is back.
    package var judgesProvider = true

    package init(outcome: AttemptOutcome, providerMessageID: String? = nil, code: String? = nil, message: String? = nil, retryAfter: Duration? = nil)
    {
        self.outcome = outcome
        self.providerMessageID = providerMessageID
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}
