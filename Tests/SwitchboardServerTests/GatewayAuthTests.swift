import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore
import HummingbirdTesting
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// `/v1/...` takes a key from `server.api_keys` as `Authorization: Bearer KEY` or `X-API-Key: KEY`;
/// without one, or with a wrong one, it answers 401; past the limit of wrong keys, 429 until the block ends.
@Suite("Gateway API keys", .timeLimit(.minutes(3)))
struct GatewayAuthTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
          credential_failures: { failures: 2, window: 60s, block: 120s }
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code." }
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """

    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let send = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Hello"}"#)

    @Test("X-API-Key with a configured key sends and reads, as Authorization: Bearer does")
    func xAPIKey() async throws {
        try await withApp { client, store in
            let headers: HTTPFields = [Self.apiKeyHeader: "test-api-key-1", .contentType: "application/json"]
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Self.send)
            #expect(sent.status == .created)
            let id = try #require(try json(sent.body)["id"] as? String)
            let shown = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: [Self.apiKeyHeader: "test-api-key-1"])
            #expect(shown.status == .ok)
            let inbox = try await client.execute(uri: "/v1/inbox", method: .get, headers: [Self.apiKeyHeader: "test-api-key-1"])
            #expect(inbox.status == .ok)
            #expect(await store.inbox(to: nil, after: nil, limit: 10).count == 1)
        }
    }

    @Test("no key is 401 unauthorized that says how to send one; a wrong key, as either header, is 401 saying it is not valid")
    func unauthorized() async throws {
        try await withApp { client, store in
            let none = try await client.execute(uri: "/v1/messages", method: .post, headers: [.contentType: "application/json"], body: Self.send)
            let missing = try errorAnswer(none, .unauthorized, code: "unauthorized")
            #expect(message(of: missing).contains("`Authorization: Bearer KEY` or `X-API-Key: KEY`"), "\(message(of: missing))")
            #expect(none.headers[.wwwAuthenticate] == "Bearer")

            let wrongKeys: [HTTPFields] = [
                [.authorization: "Bearer wrong-api-key-1", .contentType: "application/json"],
                [Self.apiKeyHeader: "wrong-api-key-1", .contentType: "application/json"],
            ]
            for headers in wrongKeys {
                let wrong = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Self.send)
                let detail = try errorAnswer(wrong, .unauthorized, code: "unauthorized")
                #expect(message(of: detail).contains("the API key is not valid"), "\(message(of: detail))")
            }
            #expect(await store.inbox(to: nil, after: nil, limit: 10).isEmpty)
        }
    }

    @Test("past the limit of wrong keys an address gets 429 too_many_requests with Retry-After, until the block ends")
    func tooManyRequests() async throws {
        let clock = ManualClock()
        // Over a socket: failures are counted by the request's address, which the router tests lack.
        try await withApp(testing: .live, logger: LogRecords().logger(label: "test"), clock: clock) { client, _ in
            func inbox(key: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/inbox", method: .get, headers: [.authorization: "Bearer \(key)"])
            }
            for attempt in 0..<2 {
                _ = try errorAnswer(try await inbox(key: "wrong-api-key-\(attempt)"), .unauthorized, code: "unauthorized")
            }
            let refused = try await inbox(key: "test-api-key-1")
            let detail = try errorAnswer(refused, .tooManyRequests, code: "too_many_requests")
            #expect(message(of: detail) == "too many failed credentials from this address; retry after 120 seconds")
            #expect(refused.headers[.retryAfter] == "120")

            clock.advance(by: .seconds(119))
            let later = try await inbox(key: "test-api-key-1")
            _ = try errorAnswer(later, .tooManyRequests, code: "too_many_requests")
            #expect(later.headers[.retryAfter] == "1")

            clock.advance(by: .seconds(1))
            #expect(try await inbox(key: "test-api-key-1").status == .ok)
        }
    }
}
