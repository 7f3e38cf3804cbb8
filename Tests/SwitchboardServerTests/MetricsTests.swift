import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// `GET /metrics`: what sends, attempts, breakers and HTTP requests leave on the page, and what
/// never appears on it.
@Suite("Metrics", .timeLimit(.minutes(3)))
struct MetricsTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        admin:
          tokens: [admin-token-0123456789]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          alpha: { type: default }
          beta: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: DemoUK, providers: [alpha, beta] }
          - { name: rest, sender: "+14155550100", providers: [beta] }
        delivery:
          breaker: { failures: 1, open_for: 1h }
        """

    static let number = "+447700900123"

    func scrape(_ client: some TestClientProtocol) async throws -> PrometheusPage {
        let answer = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer admin-token-0123456789"])
        #expect(answer.status == .ok)
        #expect(answer.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        return PrometheusPage(String(buffer: answer.body))
    }

    @Test("the store's database: reachable until found out of reach, each outage counted once")
    func storeReachability() {
        let metrics = ServerMetrics()
        func page() -> PrometheusPage { PrometheusPage(String(decoding: metrics.scrape(), as: UTF8.self)) }
        #expect(page().value("switchboard_store_reachable", [:]) == 1)
        #expect(page().value("switchboard_store_outages_total", [:]) ?? 0 == 0)
        metrics.store.reachabilityChanged(reachable: false)
        #expect(page().value("switchboard_store_reachable", [:]) == 0)
        #expect(page().value("switchboard_store_outages_total", [:]) == 1)
        metrics.store.reachabilityChanged(reachable: true)
        #expect(page().value("switchboard_store_reachable", [:]) == 1)
        #expect(page().value("switchboard_store_outages_total", [:]) == 1)
    }

    @Test("a failover, a skip by an open breaker and two accepted sends are counted by their bounded labels")
    func sendsAttemptsAndBreakers() async throws {
        let providers: [any SMSProvider] = [ScriptedProvider.answering("alpha", .retryable, code: "503"), ScriptedProvider.accepting("beta")]
        try await withApp(providers: providers, clock: ManualClock()) { client, _ in
            // Two segments of GSM-7: more than 160 characters.
            let text = String(repeating: "a", count: 200)
            let body = ByteBuffer(string: #"{"to": "\#(Self.number)", "app": "demo", "text": "\#(text)"}"#)
            for _ in 0..<2 {
                let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
                #expect(sent.status == .created)
            }
            let page = try await scrape(client)
            let send = ["app": "demo", "kind": "transactional", "country": "GB", "route": "uk", "provider": "beta", "outcome": "accepted"]
            #expect(page.value("switchboard_sends_total", send) == 2)
            #expect(page.value("switchboard_provider_attempts_total", ["provider": "alpha", "outcome": "retryable", "reason": ""]) == 1)
            #expect(page.value("switchboard_provider_attempts_total", ["provider": "alpha", "outcome": "skipped", "reason": "breaker_open"]) == 1)
            #expect(page.value("switchboard_provider_attempts_total", ["provider": "beta", "outcome": "accepted", "reason": ""]) == 2)
            // Only attempts that called the provider are timed.
            #expect(page.value("switchboard_provider_attempt_duration_seconds_count", ["provider": "alpha"]) == 1)
            #expect(page.value("switchboard_provider_attempt_duration_seconds_count", ["provider": "beta"]) == 2)
            #expect(page.value("switchboard_send_duration_seconds_count", ["kind": "transactional", "outcome": "accepted"]) == 2)
            #expect(page.value("switchboard_segments_total", ["provider": "beta", "country": "GB"]) == 4)
            #expect(page.value("switchboard_provider_breaker_state", ["provider": "alpha"]) == 2)
            #expect(page.value("switchboard_provider_breaker_state", ["provider": "beta"]) == 0)
            #expect(page.value("switchboard_provider_retry_after_seconds", ["provider": "alpha"]) == 0)
            #expect(page.value("switchboard_http_requests_total", ["route": "/v1/messages", "method": "POST", "status": "201"]) == 2)
            #expect(page.value("switchboard_http_request_duration_seconds_count", ["route": "/v1/messages", "method": "POST"]) == 2)
        }
    }

    @Test("a failed send is counted as failed under the last provider tried")
    func failedSend() async throws {
        let providers: [any SMSProvider] = [
            ScriptedProvider.answering("alpha", .retryable, code: "503"), ScriptedProvider.answering("beta", .permanent, code: "21211"),
        ]
        try await withApp(providers: providers, clock: ManualClock()) { client, _ in
            let body = ByteBuffer(string: #"{"to": "\#(Self.number)", "app": "demo", "text": "hello"}"#)
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            #expect(sent.status == .badGateway)
            let page = try await scrape(client)
            #expect(page.value("switchboard_sends_total", ["provider": "beta", "outcome": "failed", "route": "uk"]) == 1)
            #expect(page.value("switchboard_provider_attempts_total", ["provider": "beta", "outcome": "permanent"]) == 1)
            #expect(page.sum("switchboard_segments_total") == 0)
            #expect(page.value("switchboard_http_requests_total", ["route": "/v1/messages", "method": "POST", "status": "502"]) == 1)
        }
    }

    @Test("a refused transfer coding is counted and timed under its 501, and its answer carries a request id")
    func refusedTransferCoding() async throws {
        try await withApp { client, _ in
            var headers = Self.auth
            headers[.transferEncoding] = "gzip"
            let refused = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(refused.status == .notImplemented)
            #expect(refused.headers[HTTPField.Name("X-Request-ID")!]?.isEmpty == false)
            let page = try await scrape(client)
            #expect(page.value("switchboard_http_requests_total", ["route": "/v1/messages", "method": "POST", "status": "501"]) == 1, "\(page.text)")
            #expect(page.value("switchboard_http_request_duration_seconds_count", ["route": "/v1/messages", "method": "POST"]) == 1)
        }
    }

    @Test("paths are counted by their route template; no id, number or unrouted path reaches a label")
    func boundedLabels() async throws {
        try await withApp { client, _ in
            let missing = try await client.execute(uri: "/v1/messages/01HZZZZZZZZZZZZZZZZZZZZZZZ", method: .get, headers: Self.auth)
            #expect(missing.status == .notFound)
            let stray = try await client.execute(uri: "/no/such/path/\(Self.number)", method: .get, headers: Self.auth)
            #expect(stray.status == .notFound)
            let invented = try await client.execute(uri: "/healthz", method: .init("BREW")!, headers: Self.auth)
            #expect(invented.status == .notFound)
            let page = try await scrape(client)
            #expect(page.value("switchboard_http_requests_total", ["route": "/v1/messages/{id}", "method": "GET", "status": "404"]) == 1)
            #expect(page.value("switchboard_http_requests_total", ["route": "unmatched", "method": "GET", "status": "404"]) == 1, "\(page.text)")
            #expect(page.value("switchboard_http_requests_total", ["method": "other", "status": "404"]) == 1)
            #expect(!page.text.contains("01HZZZZZZZZZZZZZZZZZZZZZZZ"))
            #expect(!page.text.contains("7700900123"))
            #expect(!page.text.contains("/no/such"))
            #expect(!page.text.contains("BREW"))
        }
    }

    @Test("the page is an admin route: an API key is refused, and the admin API's requests are not counted as the API's")
    func needsAdminToken() async throws {
        try await withApp { client, _ in
            let missing = try await client.execute(uri: "/metrics", method: .get)
            #expect(missing.status == .unauthorized)
            let key = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer test-api-key-1"])
            #expect(key.status == .unauthorized)
            let page = try await scrape(client)
            #expect(page.sum("switchboard_http_requests_total") == 0, "\(page.text)")
        }
    }
}
