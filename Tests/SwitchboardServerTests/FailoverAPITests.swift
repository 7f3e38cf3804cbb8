import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport

/// How a send that no provider accepted looks over HTTP: 502 when providers were tried and
/// failed, 503 when every one was skipped (breakers open, Retry-After); never a success.
@Suite("Failover over HTTP")
struct FailoverAPITests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          alpha: { type: default }
          beta: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: DemoUK, providers: [alpha, beta] }
          - { name: rest, sender: "+14155550100", providers: [alpha, beta] }
        delivery:
          breaker: { failures: 1, open_for: 1h }
        """

    /// A provider that always fails in the given way.
    static func failing(_ name: String, code: String) -> ScriptedProvider {
        ScriptedProvider(name, [.answer(ProviderResponse(outcome: .retryable, code: code, message: "Service Unavailable"))])
    }

    /// A provider that fails and asks not to be sent to for a while.
    static func busy(_ name: String, wait: Duration) -> ScriptedProvider {
        ScriptedProvider(name, [.answer(ProviderResponse(outcome: .retryable, code: "20429", message: "Too Many Requests", retryAfter: wait))])
    }

    @Test("all providers failed is a 502 listing every attempt; all skipped by breakers is a 503; both are recorded as failed")
    func badGatewayThenUnavailable() async throws {
        let providers: [any SMSProvider] = [Self.failing("alpha", code: "503"), Self.failing("beta", code: "500")]
        // On a clock that stands still the background save of each pending record carries the same
        // instant as the outcome's save: the outcome must still be what is kept.
        try await withApp(providers: providers, clock: ManualClock()) { client, store in
            let body = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Your parcel arrives today"}"#)

            let failed = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            #expect(failed.status == .badGateway)
            // Providers were tried: there is no time to come back at.
            #expect(failed.headers[.retryAfter] == nil)
            #expect(failed.headers[.contentType]?.hasPrefix("application/json") == true)
            let failedError = try #require(try json(failed.body)["error"] as? [String: Any])
            #expect(failedError["code"] as? String == "delivery_failed")
            #expect(failedError["status"] as? String == "failed")
            let tried = try #require(failedError["attempts"] as? [[String: Any]])
            #expect(tried.map { $0["provider"] as? String } == ["alpha", "beta"])
            #expect(tried.map { $0["outcome"] as? String } == ["retryable", "retryable"])
            #expect(tried.map { $0["provider_code"] as? String } == ["503", "500"])
            #expect((failedError["message"] as? String)?.contains("alpha retryable (503: Service Unavailable)") == true)

            // Both breakers opened on that failure: the next send tries nothing.
            let unavailable = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            #expect(unavailable.status == .serviceUnavailable)
            // Both breakers opened just now for an hour: that is when the first comes back.
            #expect(unavailable.headers[.retryAfter] == "3600")
            let unavailableError = try #require(try json(unavailable.body)["error"] as? [String: Any])
            #expect(unavailableError["code"] as? String == "providers_unavailable")
            let skipped = try #require(unavailableError["attempts"] as? [[String: Any]])
            #expect(skipped.map { $0["outcome"] as? String } == ["skipped", "skipped"])
            #expect(skipped.map { $0["provider_code"] as? String } == ["breaker_open", "breaker_open"])

            // Both messages are kept as failed, with their attempts.
            let id = try #require(unavailableError["message_id"] as? String)
            let shown = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: Self.auth)
            #expect(shown.status == .ok)
            let record = try json(shown.body)
            #expect(record["status"] as? String == "failed")
            #expect((record["attempts"] as? [[String: Any]])?.count == 2)
            let firstID = try #require(failedError["message_id"] as? String)
            let first = try #require(await store.message(id: firstID))
            #expect(first.status == .failed && first.attempts.count == 2)
        }
    }

    @Test("a 503 says in Retry-After when the first provider will take messages again")
    func unavailableCarriesRetryAfter() async throws {
        // Breakers that do not open here: only the providers' own Retry-After holds them off.
        let yaml = Self.yaml.replacingOccurrences(of: "breaker: { failures: 1, open_for: 1h }", with: "breaker: { failures: 10 }")
        let providers: [any SMSProvider] = [Self.busy("alpha", wait: .seconds(120)), Self.busy("beta", wait: .seconds(45))]
        let clock = ManualClock()
        try await withApp(yaml: yaml, providers: providers, clock: clock) { client, _ in
            let body = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Your parcel arrives today"}"#)
            let failed = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            #expect(failed.status == .badGateway)
            #expect(failed.headers[.retryAfter] == nil)

            let unavailable = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            #expect(unavailable.status == .serviceUnavailable)
            let error = try #require(try json(unavailable.body)["error"] as? [String: Any])
            let skipped = try #require(error["attempts"] as? [[String: Any]])
            #expect(skipped.map { $0["provider_code"] as? String } == ["retry_after", "retry_after"])
            // The earlier of the two, less the time that passed: whole seconds, rounded up.
            #expect(unavailable.headers[.retryAfter] == "45")
            clock.advance(by: .milliseconds(10_500))
            let later = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            #expect(later.status == .serviceUnavailable)
            #expect(later.headers[.retryAfter] == "35")
        }
    }
}
