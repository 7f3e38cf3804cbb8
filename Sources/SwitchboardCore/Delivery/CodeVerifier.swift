package import Logging

/// A provider that sends its own code and checks it later (Mosaic, Twilio Verify): the OTP flow
/// asks the provider that accepted a send whether a code is right.
///
/// Like ``SMSProvider``, it never throws: a failure is an answer.
package protocol CodeVerifier: Sendable {
    /// The instance name from `config.yaml`, the name a challenge records as its owner.
    var name: String { get }

    /// Asks whether `code` is the live code sent to `to`.
    /// - Parameters:
    ///   - code: What the user typed.
    ///   - to: Where the provider sent its code.
    ///   - deadline: The check must be over by then.
    ///   - logger: The caller's logger, carrying its request id.
    func check(code: String, to: PhoneNumber, deadline: ContinuousClock.Instant, logger: Logger) async -> CodeCheck
}

/// What a verify provider said about a code.
package struct CodeCheck: Sendable, Hashable {
    package var outcome: Outcome
    /// The provider's own error or status code, for logs.
    package var code: String?
    /// The provider's explanation, or ours for transport failures.
    package var message: String?

    package init(outcome: Outcome, code: String? = nil, message: String? = nil) {
        self.outcome = outcome
        self.code = code
        self.message = message
    }

    package enum Outcome: String, Sendable, Hashable {
        case approved
        case wrong
        /// The code has expired, or the provider no longer has it.
        case expired
        /// The provider locked the code after too many wrong answers.
        case locked
        /// No answer that says anything about the code: the provider is down, slow or refused us.
        case retryable
    }
}
