import Foundation
import Hummingbird
import SwitchboardCore
import HummingbirdTesting
import SwitchboardStore
import Testing

/// The sends the gateway refuses before any provider is called, each with the status and code the
/// README promises and a message that says what to change; none is sent or logged.
@Suite("Gateway API error codes", .timeLimit(.minutes(3)))
struct GatewayErrorCodeTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code."
          ukonly:
            name: UK Only
            message: "{otp} is your {app} code."
            countries: { allow: [GB] }
          nofrance:
            name: No France
            message: "{otp} is your {app} code."
            countries: { deny: [FR] }
        providers:
          default: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: DemoUK, providers: [default] }
          - { name: france-otp, match: { countries: [FR], kinds: [otp] }, sender: DemoFR, providers: [default] }
        """

    func send(_ client: any TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
    }

    /// Nothing reached the default provider and nothing was logged as a message.
    func expectNothingSent(_ store: MemoryStore) async throws {
        #expect(await store.inbox(to: nil, after: nil, limit: 10).isEmpty)
        #expect(try await store.recentMessages(to: nil, limit: 10).isEmpty)
    }

    @Test("an app whose countries refuse the destination gets 403 country_not_allowed naming the app and the country", arguments: [
        ("ukonly", "+33 6 12 34 56 78", "app 'ukonly' may not send to FR"),
        ("nofrance", "+33 6 12 34 56 78", "app 'nofrance' may not send to FR"),
    ])
    func countryNotAllowed(app: String, to: String, expected: String) async throws {
        try await withApp { client, store in
            let response = try await send(client, #"{"to": "\#(to)", "app": "\#(app)", "otp": "123456"}"#)
            let detail = try errorAnswer(response, .forbidden, code: "country_not_allowed")
            #expect(message(of: detail).contains(expected), "\(message(of: detail))")
            try await expectNothingSent(store)
        }
    }

    @Test("the same apps may send where their countries permit", arguments: ["ukonly", "nofrance"])
    func countryAllowed(app: String) async throws {
        try await withApp { client, _ in
            let response = try await send(client, #"{"to": "+44 7700 900123", "app": "\#(app)", "otp": "123456"}"#)
            #expect(response.status == .created)
        }
    }

    @Test("a destination no route matches is 422 no_route naming the number and country", arguments: [
        // No rule for Germany at all.
        (#"{"to": "+49 151 23456789", "app": "demo", "text": "Hallo"}"#, "no route matches +4915123456789 (DE)"),
        // France has a rule, but only for OTP messages.
        (#"{"to": "+33 6 12 34 56 78", "app": "demo", "text": "Bonjour"}"#, "no route matches +33612345678 (FR)"),
    ])
    func noRoute(body: String, expected: String) async throws {
        try await withApp { client, store in
            let detail = try errorAnswer(try await send(client, body), .unprocessableContent, code: "no_route")
            #expect(message(of: detail).contains(expected), "\(message(of: detail))")
            #expect(message(of: detail).contains("catch-all"))
            try await expectNothingSent(store)
        }
    }

    @Test("template values for a kind that neither the route nor the app has a template for are 400 no_template", arguments: [
        // Only `minutes`: a transactional template send, and the app's message is only for OTPs.
        #"{"to": "+44 7700 900123", "app": "demo", "minutes": 5}"#,
        #"{"to": "+44 7700 900123", "app": "demo", "otp": "123456", "kind": "transactional"}"#,
    ])
    func noTemplate(body: String) async throws {
        try await withApp { client, store in
            let detail = try errorAnswer(try await send(client, body), .badRequest, code: "no_template")
            #expect(message(of: detail).contains("route 'uk' has no template for transactional messages"), "\(message(of: detail))")
            try await expectNothingSent(store)
        }
    }

    /// A send body of exactly `size` bytes: the JSON, then blanks, which JSON allows after a value.
    static func body(ofSize size: Int) -> ByteBuffer {
        let json = #"{"to": "+44 7700 900123", "app": "demo", "text": "Hello"}"#
        return ByteBuffer(string: json + String(repeating: " ", count: size - json.utf8.count))
    }

    @Test("a body of 64 KiB is read; one byte more is 413 body_too_large, and nothing is sent")
    func bodyTooLarge() async throws {
        try await withApp { client, store in
            let largest = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: Self.body(ofSize: 64 * 1024))
            #expect(largest.status == .created)

            let over = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: Self.body(ofSize: 64 * 1024 + 1))
            let detail = try errorAnswer(over, .contentTooLarge, code: "body_too_large")
            #expect(message(of: detail) == "the request body is over 64 KiB")
            #expect(await store.inbox(to: nil, after: nil, limit: 10).count == 1)
            #expect(try await store.recentMessages(to: nil, limit: 10).count == 1)
        }
    }

    @Test("an unknown message id is 404 not_found naming the id")
    func unknownMessage() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/v1/messages/msg_missing", method: .get, headers: Self.auth)
            let detail = try errorAnswer(response, .notFound, code: "not_found")
            #expect(message(of: detail) == "there is no message with id 'msg_missing'")
        }
    }
}
