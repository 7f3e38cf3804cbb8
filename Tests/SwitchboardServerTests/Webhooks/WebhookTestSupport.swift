import Foundation
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// What the webhook tests share: a configuration whose app `demo` posts to a receiver, and a
/// publisher with its delivery service over a given store, driven by hand.
enum WebhookTest {
    static let secret = "whsec-test-0123456789abcdefghij"
    static let admin = "admin-token-0123456789"
    static let quiet = Logger(label: "webhook-test") { _ in SwiftLogNoOpLogHandler() }

    static func yaml(url: String, events: String = "[message.accepted, message.failed, message.delivered]", maxAge: String = "1h", queue: Int = 100) -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        admin:
          tokens: [\(admin)]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
            webhook: { url: "\(url)", secret: \(secret), events: \(events), max_age: \(maxAge), queue: \(queue) }
            twilio_api: { account_sid: AC0123456789abcdef0123456789abcdef, auth_token: token-0123456789abcdef, allow_private_callbacks: true }
        providers:
          default: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [default] }
        """
    }

    static func config(url: String, maxAge: String = "1h", queue: Int = 100) throws -> SwitchboardConfig {
        try ConfigParser.parse(yaml: yaml(url: url, maxAge: maxAge, queue: queue), file: "test.yaml", environment: [:])
    }

    /// A message of `demo` whose send ended accepted.
    static func accepted(id: String = MessageID.make(), at date: Date) -> MessageRecord {
        MessageRecord(
            id: id, app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "everyone", sender: "Demo",
            loggedText: "Your parcel arrives today", encoding: .gsm7, segments: 1, status: .accepted, provider: "default",
            providerMessageID: "inbox-1", createdAt: date, updatedAt: date
        )
    }

    /// A publisher and its delivery service over `store`, with no jitter and the given clock;
    /// `body` gets both, and the HTTP client is shut down after it.
    static func withDelivery(
        store: any WebhookStore, config: SwitchboardConfig, clock: ManualClock, metrics: ServerMetrics = ServerMetrics(),
        _ body: (WebhookPublisher, WebhookDeliveryService) async throws -> Void
    ) async throws {
        let http = HTTPClientService.makeShared(clock: clock)
        let publisher = WebhookPublisher(store: store, background: nil, clock: clock, metrics: metrics.webhooks, logger: quiet)
        let service = WebhookDeliveryService(
            publisher: publisher, configuration: { config }, transport: http.transport, clock: clock, random: { 0 }, logger: quiet
        )
        do {
            try await body(publisher, service)
        } catch {
            try? await http.service.shutdown()
            throw error
        }
        try await http.service.shutdown()
    }

    /// Whether `header` signs `body` with ``secret`` at `now`, as Python's `hmac` checks it (the README's receiver).
    static func pythonVerifies(header: String, body: String, now: Date) async throws -> Bool {
        let python = repositoryPath(".build-fuzz-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "\(python) is missing: run scripts/setup")
        let run = try await runExternalTool(
            python, [repositoryPath("Tests/Interop/webhook_signature.py"), secret, header, body, String(Int64(now.timeIntervalSince1970))]
        )
        try #require(run.status == 0, "\(run.output)")
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines) == "valid"
    }

    /// Runs `body` with a receiver answering through `handler`, and shuts the receiver down after.
    static func withReceiver(_ handler: @escaping FakeHTTPServer.Handler, _ body: (FakeHTTPServer) async throws -> Void) async throws {
        let receiver = try await FakeHTTPServer(handler: handler)
        do {
            try await body(receiver)
        } catch {
            await receiver.shutdown()
            throw error
        }
        await receiver.shutdown()
    }

    /// Waits, a bounded number of short rounds, until `condition` holds.
    static func eventually(_ what: String, _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("never happened: \(what)", sourceLocation: sourceLocation)
    }
}
