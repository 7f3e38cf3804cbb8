package import SwitchboardCore
import Logging

/// Builds the provider instances a configuration names.
package enum ProviderFactory {
    /// - Parameters:
    ///   - settings: The `providers:` section.
    ///   - inbox: Where the default provider keeps messages.
    ///   - catalog: The provider types defined in `providers/`.
    ///   - transport: The shared HTTP transport; needed when an instance has a defined type.
    ///   - clock: The providers' time source.
    ///   - observer: Hears of OAuth2 token requests (metrics).
    package static func makeProviders(
        _ settings: [ProviderSettings], inbox: any InboxStore, catalog: ProviderCatalog = ProviderCatalog(), transport: HTTPTransport? = nil,
        clock: any SwitchboardClock = SystemClock(), observer: (any SendObserver)? = nil
    ) -> [any SMSProvider] {
        settings.map { provider -> any SMSProvider in
            if let definition = catalog.definitions[provider.type], let transport {
                if let steps = definition.verify {
                    return DefinedVerifyProvider(
                        settings: provider, definition: definition, steps: steps, transport: transport, clock: clock, observer: observer
                    )
                }
                return DefinedProvider(settings: provider, definition: definition, transport: transport, clock: clock, observer: observer)
            }
            if provider.type == "default" {
                return DefaultProvider(name: provider.name, inbox: inbox, clock: clock)
            }
            // Config validation refuses unknown types, so this is a wiring mistake: fail loudly per
            // message rather than pretend to deliver.
            return UnavailableProvider(name: provider.name, type: provider.type)
        }
    }
}

extension ProviderFactory {
    /// The verify providers among `providers`, by name: those the OTP flow asks to check codes.
    package static func verifiers(among providers: [any SMSProvider]) -> [String: any CodeVerifier] {
        var verifiers: [String: any CodeVerifier] = [:]
        for provider in providers {
            if let verifier = provider as? any CodeVerifier { verifiers[verifier.name] = verifier }
        }
        return verifiers
    }
}

/// Stands in for an instance whose type could not be built; refuses every message.
struct UnavailableProvider: SMSProvider {
    let name: String
    let type: String
    /// It answers at once.
    let answersByDeadline = true

    func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        ProviderResponse(outcome: .retryable, code: "provider_unavailable", message: "provider type '\(type)' is not available in this process")
    }
}
