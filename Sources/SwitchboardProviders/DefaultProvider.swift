package import Logging
package import SwitchboardCore
import Foundation

/// The built-in provider a fresh install sends through: it needs no credentials, sends nothing
/// over the air, and keeps every message in the inbox so a person can read it.
package struct DefaultProvider: SMSProvider {
    package let name: String
    private let inbox: any InboxStore
    private let clock: any SwitchboardClock
    /// Its attempts take what the daemon's database takes: one cut off waited on the database.
    package var judgedByTimeouts: Bool { false }

    /// Said once at start-up, so nobody mistakes an evaluation setup for a working one.
    package static let evaluationNotice =
        "the built-in default provider is for evaluation: it delivers no real SMS and keeps messages in the inbox (switchboard inbox, GET /v1/inbox)"

    /// - Parameters:
    ///   - name: The instance name from `config.yaml`.
    ///   - inbox: Where messages are kept.
    ///   - clock: Stamps the time each message arrives.
    package init(name: String, inbox: any InboxStore, clock: any SwitchboardClock = SystemClock()) {
        self.name = name
        self.inbox = inbox
        self.clock = clock
    }

    package func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        let entry = InboxMessage(
            id: "inbox_" + message.id.dropFirst("msg_".count), messageID: message.id, to: message.to.e164,
            from: message.sender?.description ?? name, text: message.text, encoding: message.encoding,
            segments: message.segments, receivedAt: clock.date
        )
        do {
            let stored = try await inbox.deliver(entry)
            return ProviderResponse(outcome: .accepted, providerMessageID: stored.id, code: "accepted")
        } catch {
            // The failure is the answer (a retryable outcome, recorded with the message); the
            // application decides how loud it is. Library code logs at info or lower.
            logger.info("default provider could not store a message", metadata: ["sb.provider": "\(name)", "sb.error": "\(String(describing: type(of: error)))"])
            var response = ProviderResponse(outcome: .retryable, code: "inbox_unavailable", message: "the inbox could not store the message")
            // The database out of reach is the store's to watch, not this provider's breaker's.
            response.judgesProvider = !(error is StoreUnavailable)
            return response
        }
    }
}
