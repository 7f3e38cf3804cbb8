import Foundation
import Logging
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A send records its message as pending before any provider is called, and on SQLite it hands
/// that save straight to the store's writer: no background task has to run for it.
@Suite("Gateway: the pending record", .timeLimit(.minutes(3)))
struct PendingSaveTests {
    static let yaml = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          primary: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [primary] }
        delivery:
          deadline: 300s
          attempt_timeout: 60s
          breaker: { failures: 5, open_for: 1h }
        """

    @Test func onSQLiteTheMessageIsPendingWhileItsProviderIsCalledWithNoBackgroundTaskRunning() async throws {
        let config = try ConfigParser.parse(yaml: Self.yaml, file: "test.yaml", environment: [:])
        let store = try await SQLiteStore.open(path: ":memory:", logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await store.migrate()
        let gate = Gate()
        let provider = ScriptedProvider("primary", [.gated(gate, .init(outcome: .accepted, providerMessageID: "primary-1"))])
        let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker)
        // Alarms not run: the attempt's cut-off must not race the gate on a starved runner.
        let dispatcher = FailoverDispatcher(providers: [provider], attemptTimeout: .seconds(60), breakers: breakers, alarms: Alarms())
        // Background work that nobody runs: a pending save handed to it would never happen.
        let gateway = Gateway(config: config, dispatcher: dispatcher, store: store, background: BackgroundWork())
        let request = SendRequest(to: "+447700900123", app: "demo", kind: .otp, content: .template(otp: "123456", minutes: nil))

        async let sent = gateway.send(request, logger: Logger(label: "test"))
        var waited = 0
        while provider.callCount == 0 {
            waited += 1
            try #require(waited < 30_000, "the provider was never called")
            try await Task.sleep(for: .milliseconds(1))
        }
        let id = try #require(provider.calls.first?.id)
        // Queued behind the pending save on the writer: once this commits, so has the pending one.
        try await store.save(MessageRecord(
            id: "msg_flush", app: "demo", kind: .transactional, to: "+447700900124", country: "GB", route: "everyone", sender: "Demo",
            loggedText: "flush", encoding: .gsm7, segments: 1, status: .failed, createdAt: .now, updatedAt: .now
        ))
        let pending = try await store.message(id: id)
        #expect(pending?.status == .pending)
        #expect(pending?.attempts == [])

        gate.open()
        let result = try await sent
        #expect(result.messageID == id)
        let final = try await store.message(id: id)
        #expect(final?.status == .accepted)
        #expect(final?.providerMessageID == "primary-1")
        try await store.close()
    }
}
