import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A provider's request slots and wait queue end to end: the shipped twilio definition, the shared
/// HTTP client and a loopback fake that holds every request until the test opens its gate. With the
/// slots taken and the queue full, the next send is not sent to that provider: it is skipped with
/// `queue_full` and fails over, or, with no provider left, is answered 503 with Retry-After.
///
/// Time: the attempt timeout and deadline are long, so only the gate ends a held request.
@Suite("Provider slots and queue end to end", .timeLimit(.minutes(3)))
struct ProviderQueueTests {
    static let auth: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]

    /// A fake Twilio that answers every request with a 201 once `gate` opens.
    static func heldTwilio(_ gate: Gate) async throws -> FakeHTTPServer {
        try await FakeHTTPServer { request in
            await gate.wait()
            let to = request.formField("To") ?? ""
            return .json(201, #"{"sid": "SMheld\#(to.filter(\.isNumber))", "status": "queued", "num_segments": "1", "error_code": null}"#)
        }
    }

    /// UK messages may go only to `slow`; the rest fail over to the built-in `backup`.
    static func yaml(twilio: FakeHTTPServer, maxInFlight: Int, queue: Int) -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          slow: { type: twilio, account_sid: ACqueue, auth_token: queue-token, base_url: \(twilio.baseURL), max_in_flight: \(maxInFlight), queue: \(queue) }
          backup: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: "+14155550100", providers: [slow] }
          - { name: rest, sender: "+14155550100", providers: [slow, backup] }
        delivery:
          deadline: 300s
          attempt_timeout: 300s
        """
    }

    @Test("max_in_flight requests go out and queue more wait; the next send skips the provider with queue_full and the backup takes it; the held ones are then sent")
    func slotsThenQueueThenFailover() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: Self.yaml(twilio: twilio, maxInFlight: 2, queue: 1), file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let http = HTTPClientService.makeShared()
        let assembled = makeGateway(config: config, store: store, inbox: store, catalog: catalog, transport: http.transport, background: nil, alarms: .running())
        let limiter = try #require(assembled.limiters["slow"])
        let gateway = assembled.gateway
        let logger = Logger(label: "provider-queue")
        let send: @Sendable (String) async throws -> SendResult = { to in
            try await gateway.send(SendRequest(to: to, app: "demo", kind: .transactional, content: .text("Your parcel arrives today")), logger: logger)
        }

        let first = Task { try await send("+14155550101") }
        let second = Task { try await send("+14155550102") }
        try await requireEventually(within: .seconds(30)) { twilio.requests.count == 2 }
        let third = Task { try await send("+14155550103") }
        try await requireEventually(within: .seconds(30)) { limiter.waiting == 1 }

        let over = try await send("+14155550104")
        #expect(over.provider == "backup")
        #expect(over.attempts.map(\.provider) == ["slow", "backup"])
        #expect(over.attempts.map(\.outcome) == [.skipped, .accepted])
        #expect(over.attempts.first?.providerCode == "queue_full")
        #expect(twilio.requests.count == 2)

        gate.open()
        let held = try await [first.value, second.value, third.value]
        #expect(held.map(\.provider) == ["slow", "slow", "slow"])
        #expect(held.map(\.providerMessageID) == ["SMheld14155550101", "SMheld14155550102", "SMheld14155550103"])
        #expect(twilio.requests.count == 3)
        #expect(limiter.inFlight == 0)
        await twilio.shutdown()
        try await http.service.shutdown()
    }

    @Test("with no provider left to fail over to, a send that finds the queue full is answered 503 providers_unavailable with Retry-After")
    func queueFullIsUnavailable() async throws {
        let gate = Gate()
        let twilio = try await Self.heldTwilio(gate)
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: Self.yaml(twilio: twilio, maxInFlight: 1, queue: 0), file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog), logger: Logger(label: "provider-queue"))
        try await app.test(.router) { client in
            let uk = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Your parcel arrives today"}"#)
            async let held = client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: uk)
            try await requireEventually(within: .seconds(30)) { twilio.requests.count == 1 }

            let unavailable = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: uk)
            #expect(unavailable.status == .serviceUnavailable)
            // Nothing holds the provider back for a known time: come back in a second.
            #expect(unavailable.headers[.retryAfter] == "1")
            let error = try #require(jsonObject(unavailable.body.readableBytesView)?["error"] as? [String: Any])
            #expect(error["code"] as? String == "providers_unavailable")
            let attempts = try #require(error["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["provider"] as? String } == ["slow"])
            #expect(attempts.map { $0["outcome"] as? String } == ["skipped"])
            #expect(attempts.map { $0["provider_code"] as? String } == ["queue_full"])

            gate.open()
            let answer = try await held
            #expect(answer.status == .created)
            #expect(jsonObject(answer.body.readableBytesView)?["provider"] as? String == "slow")
            #expect(twilio.requests.count == 1)
        }
        await twilio.shutdown()
    }
}
