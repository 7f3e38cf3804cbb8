import Foundation
package import Logging

/// Walks a route's provider chain for one message. The seam where failover lives.
package protocol DeliveryDispatcher: Sendable {
    /// Tries providers from `chain` until one accepts or the chain says stop.
    /// - Returns: Every attempt made, in order; the message was sent if the last one is accepted.
    func deliver(_ message: OutboundMessage, kind: MessageKind, chain: [String], deadline: ContinuousClock.Instant, logger: Logger) async -> [DeliveryAttempt]
}

/// Hands each message to the first provider of its chain, and only that one.
package struct FirstProviderDispatcher: DeliveryDispatcher {
    private let providers: [String: any SMSProvider]
    private let attemptTimeout: Duration

    /// - Parameters:
    ///   - providers: Every configured provider, by name.
    ///   - attemptTimeout: The longest one attempt may take.
    package init(providers: [any SMSProvider], attemptTimeout: Duration) {
        self.providers = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.attemptTimeout = attemptTimeout
    }

    package func deliver(_ message: OutboundMessage, kind: MessageKind, chain: [String], deadline: ContinuousClock.Instant, logger: Logger) async -> [DeliveryAttempt] {
        guard let name = chain.first else { return [] }
        let startedAt = Date()
        let start = ContinuousClock.now
        let response: ProviderResponse
        if let provider = providers[name] {
            response = await provider.send(message, deadline: min(deadline, start + attemptTimeout), logger: logger)
        } else {
            // Config validation forbids this; answer rather than crash if it ever happens.
            response = ProviderResponse(outcome: .permanent, code: "unknown_provider", message: "no provider named '\(name)' is configured")
        }
        let elapsed = ContinuousClock.now - start
        return [
            DeliveryAttempt(
                provider: name, outcome: response.outcome, providerCode: response.code,
                providerMessage: response.message, providerMessageID: response.providerMessageID,
                latencyMicroseconds: elapsed.wholeMicroseconds, startedAt: startedAt
            )
        ]
    }
}

extension Duration {
    package var wholeMicroseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
