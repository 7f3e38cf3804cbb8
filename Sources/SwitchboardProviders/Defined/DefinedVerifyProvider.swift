package import Logging
package import SwitchboardCore

/// A verify-style provider from a definition with `kind: verify` (Mosaic, Twilio Verify): as an
/// ``SMSProvider`` it starts a verification (after `prepare`, when the definition has one), which
/// sends the service's own code; as a ``CodeVerifier`` it checks a code.
///
/// It takes only the login flow's OTPs (``OutboundMessage/ownedCode``): any other message would
/// reach the user as the service's code message, so it is refused before anything is sent.
package struct DefinedVerifyProvider: SMSProvider, CodeVerifier {
    package let name: String
    private let start: DefinedProvider
    private let prepare: DefinedProvider?
    private let checker: DefinedProvider

    /// - Parameters:
    ///   - settings: The instance from `config.yaml` (validated against `definition`).
    ///   - definition: A definition of kind `verify`.
    ///   - transport: The shared HTTP transport.
    ///   - clock: The time source of its OAuth2 token cache and of `Retry-After` dates.
    ///   - observer: Hears of its token requests (metrics).
    package init(
        settings: ProviderSettings, definition: ProviderDefinition, steps: ProviderDefinition.VerifySteps, transport: HTTPTransport,
        clock: any SwitchboardClock = SystemClock(), observer: (any SendObserver)? = nil
    ) {
        name = settings.name
        let start = DefinedProvider(settings: settings, definition: definition, transport: transport, clock: clock, observer: observer)
        // One token for the three exchanges: they are one client of one service.
        let tokens = start.tokens
        prepare = steps.prepare.map {
            DefinedProvider(settings: settings, definition: definition.replacing(with: $0), transport: transport, clock: clock, sharedTokens: tokens)
        }
        checker = DefinedProvider(
            settings: settings, definition: definition.replacing(with: steps.check), transport: transport, clock: clock, sharedTokens: tokens
        )
        self.start = start
    }

    /// Its calls are exchanges of ``DefinedProvider``s.
    package var answersByDeadline: Bool { true }

    package func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        guard message.ownedCode != nil else {
            return ProviderResponse(
                outcome: .retryable, code: "not_a_login_otp",
                message: "a verify provider sends its own code, so it takes only OTPs of the login flow; the next provider delivers this message"
            )
        }
        if let prepare {
            let prepared = await prepare.exchange({ $0.add(message) }, deadline: deadline, logger: logger)
            guard prepared.decision == .accepted else { return prepared.response }
        }
        return await start.send(message, deadline: deadline, logger: logger)
    }

    package func check(code: String, to: PhoneNumber, deadline: ContinuousClock.Instant, logger: Logger) async -> CodeCheck {
        let answer = await checker.exchange(
            { values in
                values["message.to"] = to.e164
                values["message.to_digits"] = String(to.e164.dropFirst())
                values[ProviderValues.codeVariable] = code
            },
            deadline: deadline,
            logger: logger
        )
        let outcome: CodeCheck.Outcome =
            switch answer.decision {
            case .approved: .approved
            case .wrong: .wrong
            case .expired: .expired
            case .locked: .locked
            // Only a check's own decisions say anything about the code; the parser allows no others.
            case .retryable, .refreshToken, .accepted, .permanent, .ambiguous: .retryable
            }
        return CodeCheck(outcome: outcome, code: answer.response.code, message: answer.response.message)
    }
}
