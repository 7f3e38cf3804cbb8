import Logging
import Synchronization
import SwitchboardCore

/// A provider that answers what the test tells it to and remembers what it was given.
final class ScriptedProvider: SMSProvider {
    let name: String
    private let response: ProviderResponse
    private let received = Mutex<[OutboundMessage]>([])

    init(name: String, response: ProviderResponse) {
        self.name = name
        self.response = response
    }

    var messages: [OutboundMessage] { received.withLock { $0 } }

    func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        received.withLock { $0.append(message) }
        return response
    }
}
