import Foundation
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// The definitions shipped in the repository's `providers/` folder.
func shippedCatalog() throws -> ProviderCatalog {
    try ProviderCatalog.load(directory: repositoryPath("providers"))
}

let testLogger = Logger(label: "test")

/// A message as the gateway would hand it over.
func message(to: String = "+447700900123", sender: String? = "ACME", text: String = "123456 is your code", encoding: SMSEncoding = .gsm7) throws -> OutboundMessage {
    OutboundMessage(
        id: "msg_01TEST", to: try PhoneNumberParser.parse(to), sender: try sender.map { try SenderID(parsing: $0) }, text: text,
        encoding: encoding, segments: 1
    )
}

/// A provider built the way the daemon builds it: a config snippet validated against the catalog,
/// then the factory, over one shared client that `body` may use and that is shut down afterwards.
/// `clock` measures its tokens' lives: a `ManualClock` lets a test expire one without waiting.
func withProvider<T>(
    type: String, settings: String, catalog: ProviderCatalog? = nil, clock: any SwitchboardClock = SystemClock(),
    observer: (any SendObserver)? = nil, _ body: (any SMSProvider) async throws -> T
) async throws -> T {
    let yaml = """
        providers:
          p:
            type: \(type)
        \(settings.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        routes:
          - { name: all, providers: [p] }
        """
    let catalog = try catalog ?? shippedCatalog()
    let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
    let http = HTTPClientService.makeShared()
    let providers = ProviderFactory.makeProviders(
        config.providers, inbox: NoInbox(), catalog: catalog, transport: http.transport, clock: clock, observer: observer
    )
    let result = await Result { try await body(providers[0]) }
    try await http.service.shutdown()
    return try result.get()
}

extension FakeTwilio {
    /// A twilio instance's settings for this fake: its account, token and address.
    var settings: String {
        "account_sid: \(accountSID)\nauth_token: \(authToken)\nbase_url: \(server.baseURL)"
    }
}

/// The timeout is generous: every suite of the run shares two cores (an exchange of a few loopback
/// requests has taken 30 s there), and only the hang test waits for it.
func send(_ provider: any SMSProvider, _ outbound: OutboundMessage, timeout: Duration = .seconds(90)) async -> ProviderResponse {
    await provider.send(outbound, deadline: .now + timeout, logger: testLogger)
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// Defined providers never touch the inbox.
struct NoInbox: InboxStore {
    func deliver(_ message: InboxMessage) async throws -> InboxMessage { message }
    func inbox(to: String?, after: Int64?, limit: Int) async throws -> [InboxMessage] { [] }
    func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage] { [] }
}
