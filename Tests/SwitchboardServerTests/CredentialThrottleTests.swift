import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Wrong API keys and client secrets, tried over and over, are slowed down and logged.
@Suite("Credential throttling over HTTP")
struct CredentialThrottleTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
          credential_failures: { failures: 5, window: 60s, block: 120s }
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code."
            clients: [{ id: demo-backend, secret: demo-secret-0123456789 }, { id: other-backend, secret: other-secret-0123456789 }]
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """

    func get(_ client: any TestClientProtocol, key: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/inbox", method: .get, headers: [.authorization: "Bearer \(key)"])
    }

    @Test("past the limit of wrong API keys an address gets 429 with Retry-After, even with the right key, logged once")
    func apiKeys() async throws {
        let logs = LogRecords()
        // A clock moved by hand, so that the Retry-After does not depend on how long the machine took.
        try await withApp(testing: .live, logger: logs.logger(label: "test"), clock: ManualClock()) { client, _ in
            for attempt in 0..<5 {
                #expect(try await get(client, key: "wrong-key-\(attempt)").status == .unauthorized)
            }
            let refused = try await get(client, key: "wrong-key-5")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "120")
            #expect(try await get(client, key: "test-api-key-1").status == .tooManyRequests)
            let gateway = try await client.execute(
                uri: "/mosaic/sms", method: .get, headers: [HTTPField.Name("X-API-Key")!: "test-api-key-1", HTTPField.Name("X-Verification-Key")!: "v"]
            )
            #expect(gateway.status == .tooManyRequests, "the Mosaic gateway's key check shares the count")
        }
        let warnings = logs.all.filter { $0.level == .warning && $0.message.contains("failed credentials") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["sb.throttle.source"]?.hasPrefix("address ") == true)
    }

    @Test("the right key from an address under the limit is never refused")
    func underLimit() async throws {
        try await withApp(testing: .live, logger: LogRecords().logger(label: "test")) { client, _ in
            for attempt in 0..<4 {
                let wrong = try await get(client, key: "wrong-key-\(attempt)")
                #expect(wrong.status == .unauthorized)
            }
            let right = try await get(client, key: "test-api-key-1")
            #expect(right.status == .ok)
        }
    }

    func token(_ client: any TestClientProtocol, id: String, secret: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/oidc/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)")
        )
    }

    @Test("past the limit of wrong secrets for a client id, that client gets 429 from anywhere; other clients are served")
    func clientSecrets() async throws {
        let logs = LogRecords()
        try await withApp(logger: logs.logger(label: "test"), clock: ManualClock()) { client, _ in
            for attempt in 0..<5 {
                #expect(try await token(client, id: "demo-backend", secret: "guess-\(attempt)").status == .unauthorized)
            }
            let refused = try await token(client, id: "demo-backend", secret: "demo-secret-0123456789")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "120")
            let body = try JSONSerialization.jsonObject(with: Data(refused.body.readableBytesView)) as? [String: Any]
            #expect(body?["error"] as? String == "too_many_requests")
            #expect(try await token(client, id: "other-backend", secret: "other-secret-0123456789").status == .ok)
        }
        #expect(logs.all.contains { $0.metadata["sb.throttle.source"] == "client demo-backend" })
    }
}
